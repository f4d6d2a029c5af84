import type { BacktestRunDetail } from '@/features/backtests'
import type { ExchangeAccount, SecurityEvent, SignIn } from '@/features/settings'
import type { Exchange, Market } from '@/features/markets'
import type { Paginated } from '@/types/paginated'
import type { NewsItem, Post, SentimentAggregate } from '@/features/sentiment'
import type { ModelDetail } from '@/features/models'
import type { Signal } from '@/features/signals'
import type { Fill, OrderDetail, Order, PaperAccount } from '@/features/orders'
import type { Bot, KillSwitch, Position, Tick } from '@/features/bots'
import type { Trade } from '@/features/trades'
import { jsonResponse, mockApi, type RecordedRequest } from '@/test/render'

export function page<T>(results: T[]): Paginated<T> {
  return { count: results.length, next: null, previous: null, results }
}

export const HOUR_MS = 3_600_000
export const T0 = Date.UTC(2026, 10, 20, 0, 0, 0)

export const EXCHANGES: Exchange[] = [
  { ccxt_id: 'demo', name: 'Demo exchange', enabled: true, sandbox: false, is_demo: true, market_count: 1 },
  { ccxt_id: 'binance', name: 'Binance', enabled: true, sandbox: false, is_demo: false, market_count: 1 },
]

export const MARKETS: Market[] = [
  { id: 1, exchange: 'demo', symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', active: true, enabled: true, timeframes: ['1h', '4h'], is_demo: true, listing_verified: true, last_candle_at: new Date(T0 + 29 * HOUR_MS).toISOString() },
  { id: 2, exchange: 'binance', symbol: 'ETH/USDT', base: 'ETH', quote: 'USDT', active: true, enabled: true, timeframes: ['1h'], is_demo: false, listing_verified: true, last_candle_at: null },
]

export function candleRows(count: number, start = T0): [number, number, number, number, number, number][] {
  return Array.from({ length: count }, (_, index) => {
    const open = 100 + index
    return [start + index * HOUR_MS, open, open + 2, open - 1, open + 1, 10 + index]
  })
}

export function makeSignal(overrides: Partial<Signal> = {}): Signal {
  return {
    id: 1,
    exchange: 'demo',
    symbol: 'BTC/USDT',
    timeframe: '1h',
    open_time: new Date(T0 + 20 * HOUR_MS).toISOString(),
    action: 'BUY',
    probabilities: { BUY: 0.62, HOLD: 0.28, SELL: 0.1 },
    confidence: 0.62,
    is_demo: true,
    explanation: {
      top_features: [
        { feature: 'rsi_14', value: 28.5, contribution: 0.41 },
        { feature: 'ret_24', value: -0.05, contribution: -0.12 },
      ],
      headlines: [{ title: 'ETF inflows hit a record', url: 'https://example.org/etf', compound: 0.5, available_at: '2026-11-20T19:00:00Z', is_demo: true }],
      feature_set_version: 'v1',
    },
    model_version: 7,
    created_at: new Date(T0 + 21 * HOUR_MS).toISOString(),
    ...overrides,
  }
}

const MIX = { BUY: 0.3, HOLD: 0.4, SELL: 0.3 }

export const MODEL: ModelDetail = {
  id: 7,
  markets: [{ exchange: 'demo', symbol: 'BTC/USDT' }],
  timeframe: '1h',
  status: 'champion',
  summary_score: 0.0123,
  feature_set_version: 'v1',
  train_start: '2026-01-01T00:00:00Z',
  train_end: '2026-10-01T00:00:00Z',
  is_demo: true,
  created_at: '2026-10-02T00:00:00Z',
  promoted_at: '2026-10-02T01:00:00Z',
  fold_metrics: [
    { fold: 1, train_start: '2026-01-01T00:00:00Z', train_end: '2026-05-31T00:00:00Z', train_rows: 3600, best_iteration: 40, precision: MIX, recall: MIX, class_mix: MIX, predicted_mix: MIX, test_start: '2026-06-01T00:00:00Z', test_end: '2026-07-01T00:00:00Z', test_rows: 720, log_loss: 1.02, prior_log_loss: 1.05, log_loss_skill: 0.03, accuracy: 0.41, macro_f1: 0.38 },
    { fold: 2, train_start: '2026-01-01T00:00:00Z', train_end: '2026-05-31T00:00:00Z', train_rows: 3600, best_iteration: 40, precision: MIX, recall: MIX, class_mix: MIX, predicted_mix: MIX, test_start: '2026-07-01T00:00:00Z', test_end: '2026-08-01T00:00:00Z', test_rows: 744, log_loss: 1.04, prior_log_loss: 1.05, log_loss_skill: 0.01, accuracy: 0.4, macro_f1: 0.36 },
  ],
  feature_importance: { rsi_14: 0.5, ret_24: 0.3, atr_14: 0.2 },
  hyperparameters: { max_depth: 4, learning_rate: 0.05, num_boost_round: 300, early_stopping_rounds: 30, subsample: 0.8, colsample_bytree: 0.8, min_child_weight: 5, reg_lambda: 1, valid_fraction: 0.2, nthread: 2, seed: 0 },
  label_params: { horizon: 4, fee_rate: 0.001, slippage_bps: 0, margin: 0.001, method: 'fixed', threshold: 0.003 },
  feature_config: { timeframe: '1h', return_horizons: [1, 3, 6, 12, 24], volatility_windows: [12, 48], zscore_window: 48, volume_window: 48, slope_lag: 5, higher_timeframe: '4h', use_sentiment: false, max_gap_candles: 72 },
  promotion: {},
  evaluation: {
    log_loss: 1.03,
    prior_log_loss: 1.05,
    log_loss_t: 2.4,
    brier: 0.61,
    ece: 0.021,
    reliability: {
      BUY: [
        { bin: 2, predicted: 0.25, observed: 0.24, rows: 400 },
        { bin: 3, predicted: 0.33, observed: 0.35, rows: 300 },
      ],
      HOLD: [{ bin: 3, predicted: 0.38, observed: 0.4, rows: 700 }],
      SELL: [{ bin: 2, predicted: 0.28, observed: 0.27, rows: 700 }],
    },
    fee_rate: 0.001,
    slippage_bps: 5,
    trials: 20,
    net_return: 0.12,
    buy_hold_return: 0.05,
    trades: 14,
    random_percentile: 97.5,
    random_draws: 500,
    deflated_sharpe: 0.97,
    pbo: 0.31,
    eligible: true,
    reasons: [],
    thresholds: { buy: 0.4, sell: 0.4 },
  },
  artifact_sha256: 'abc',
}

export const RETIRED_MODEL: ModelDetail = {
  ...MODEL,
  id: 3,
  status: 'retired',
  summary_score: -0.01,
  evaluation: {
    ...MODEL.evaluation,
    eligible: false,
    reasons: ['net return -2.00% does not beat buy-and-hold +5.00%', 'Deflated Sharpe 0.310 over 20 configuration(s) is below 0.95'],
  },
}

export function makeNews(overrides: Partial<NewsItem> = {}): NewsItem {
  return {
    id: 1,
    source_name: 'demo-news',
    is_demo: true,
    external_id: 'n1',
    title: 'Bitcoin rallies as ETF inflows grow',
    url: 'https://example.org/news/1',
    domain: 'example.org',
    currencies: ['BTC'],
    votes: {},
    published_at: new Date(T0 + 10 * HOUR_MS).toISOString(),
    ingested_at: new Date(T0 + 10 * HOUR_MS).toISOString(),
    available_at: new Date(T0 + 10 * HOUR_MS).toISOString(),
    score: { compound: 0.64, positive: 0.4, negative: 0, neutral: 0.6, votes_score: null, scorer_version: 'vader-1' },
    ...overrides,
  }
}

export function makePost(overrides: Partial<Post> = {}): Post {
  return {
    id: 1,
    source_name: 'demo-x',
    is_demo: true,
    external_id: 'p1',
    author: 'satoshi_fan',
    text: 'BTC looks weak here, expecting a dump',
    language: 'en',
    assets: ['BTC'],
    query: 'bitcoin',
    public_metrics: {},
    created_at: new Date(T0 + 11 * HOUR_MS).toISOString(),
    ingested_at: new Date(T0 + 11 * HOUR_MS).toISOString(),
    available_at: new Date(T0 + 11 * HOUR_MS).toISOString(),
    score: { compound: -0.42, positive: 0, negative: 0.3, neutral: 0.7, votes_score: null, scorer_version: 'vader-1' },
    ...overrides,
  }
}

export function makeAggregates(count: number): SentimentAggregate[] {
  return Array.from({ length: count }, (_, index) => ({
    asset: 'BTC',
    interval: '1h',
    bucket_start: new Date(T0 + index * HOUR_MS).toISOString(),
    bucket_end: new Date(T0 + (index + 1) * HOUR_MS).toISOString(),
    item_count: 3 + index,
    mean_compound: 0.1,
    weighted_compound: 0.2 + index * 0.01,
    share_positive: 0.6,
    share_negative: 0.2,
  }))
}

export function makeBacktest(overrides: Partial<BacktestRunDetail> = {}): BacktestRunDetail {
  return {
    id: 11,
    status: 'done',
    progress: 1,
    error: '',
    config: {
      exchange: 'demo',
      symbol: 'BTC/USDT',
      timeframe: '1h',
      strategy: 'sma_cross',
      params: { fast: 20, slow: 50 },
      start: '2026-08-01T00:00:00Z',
      end: '2026-11-01T00:00:00Z',
      fee: 0.001,
      slippage_bps: 5,
      initial_cash: 10_000,
      maker_fee: null,
      stops: {},
      sizing: {},
      max_drawdown: null,
      market_limits: true,
    },
    metrics: { total_return: 0.125, max_drawdown: -0.08, sharpe: 1.4, trades: 2, win_rate: 0.5 },
    created_at: '2026-11-20T00:00:00Z',
    started_at: '2026-11-20T00:00:10Z',
    finished_at: '2026-11-20T00:01:00Z',
    equity_curve: [
      [T0, 10_000],
      [T0 + HOUR_MS, 10_500],
      [T0 + 2 * HOUR_MS, 10_100],
      [T0 + 3 * HOUR_MS, 11_250],
    ],
    trades: [
      { entry_time: '2026-08-02T00:00:00Z', entry_price: 100, exit_time: '2026-08-05T00:00:00Z', exit_price: 110, size: 1, exposure: 1, fees: 0.2, pnl: 9.8, return: 0.098, exit_reason: 'signal' },
      { entry_time: '2026-09-02T00:00:00Z', entry_price: 120, exit_time: '2026-09-05T00:00:00Z', exit_price: 114, size: 1, exposure: 1, fees: 0.2, pnl: -6.2, return: -0.052, exit_reason: 'stop_loss' },
    ],
    ...overrides,
  }
}

export function makeAccount(overrides: Partial<ExchangeAccount> = {}): ExchangeAccount {
  return {
    id: 5,
    exchange: 'binance',
    label: 'Binance main',
    mode: 'testnet',
    api_key: '••••WXYZ',
    has_passphrase: false,
    status: 'ok',
    status_message: '',
    warnings: [],
    permissions: { known: true, can_trade: true, can_withdraw: false, can_transfer: false, ip_restricted: true, checked_at: '2026-11-20T00:00:00Z' },
    created_at: '2026-11-20T00:00:00Z',
    updated_at: '2026-11-20T00:00:00Z',
    ...overrides,
  }
}

export const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

export function makeSignIn(overrides: Partial<SignIn> = {}): SignIn {
  return {
    id: 21,
    kind: 'session',
    created_at: '2026-11-20T08:00:00Z',
    last_used_at: '2026-11-20T09:30:00Z',
    ip_address: '203.0.113.7',
    last_used_ip: '203.0.113.7',
    user_agent: CHROME_LINUX,
    current: true,
    token_hint: null,
    ...overrides,
  }
}

export const SIGN_INS: SignIn[] = [
  makeSignIn(),
  makeSignIn({ id: 22, kind: 'token', current: false, user_agent: 'python-requests/2.32.3', token_hint: '…k3Q9', ip_address: '198.51.100.4', last_used_ip: '198.51.100.9' }),
]

export function makeSecurityEvent(overrides: Partial<SecurityEvent> = {}): SecurityEvent {
  return {
    id: 301,
    created_at: '2026-11-20T08:00:00Z',
    action: 'auth.login',
    action_label: 'Signed in',
    target_type: 'accounts.user',
    target_repr: 'grace',
    ip_address: '203.0.113.7',
    by_staff: false,
    details: {},
    ...overrides,
  }
}

export const SECURITY_EVENTS: SecurityEvent[] = [
  makeSecurityEvent({ id: 305, action: 'exchange_key.created', action_label: 'Exchange key created', target_type: 'accounts.exchangeaccount', target_repr: 'Binance main (••••WXYZ)', by_staff: true, ip_address: '10.0.0.2' }),
  makeSecurityEvent({ id: 304, action: 'auth.login_locked', action_label: 'Login locked', ip_address: '192.0.2.66' }),
  makeSecurityEvent({ id: 303, action: 'auth.login_failed', action_label: 'Sign-in failed', ip_address: '192.0.2.66' }),
  makeSecurityEvent(),
]

export const USER = { id: 1, username: 'grace', email: 'grace@example.org', is_staff: true }

export const HEALTH = {
  status: 'ok',
  mode: 'embedded',
  version: '0.1.0',
  checks: {
    database: { ok: true, detail: 'sqlite' },
    channel_layer: { ok: true, detail: 'in-memory' },
    broker: { ok: true, detail: 'filesystem' },
    worker: { ok: true, detail: 'alive', last_heartbeat: null },
  },
}

export const PAPER_ACCOUNTS: PaperAccount[] = [
  { id: 1, label: 'Demo paper', exchange: 'demo', quote_currency: 'USDT', balances: { USDT: '10000' }, created_at: '2026-11-20T00:00:00Z' },
]

export function makeOrder(overrides: Partial<Order> = {}): Order {
  return {
    id: 12,
    client_order_id: 'qt-12',
    exchange_order_id: '9001',
    account: { kind: 'paper', id: 1, label: 'Demo paper', exchange: 'demo' },
    bot: null,
    exchange: 'demo',
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    amount: '0.010',
    price: '90000',
    filled_amount: '0',
    average_price: null,
    fee: '0',
    fee_currency: null,
    status: 'open',
    reason: '',
    created_at: '2026-11-20T10:00:00Z',
    updated_at: '2026-11-20T10:00:01Z',
    ...overrides,
  }
}

export function makeOrderDetail(overrides: Partial<OrderDetail> = {}): OrderDetail {
  return {
    ...makeOrder(),
    events: [
      { id: 1, from_status: 'new', to_status: 'new', cause: 'manual order', created_at: '2026-11-20T10:00:00Z' },
      { id: 2, from_status: 'new', to_status: 'submitting', cause: 'claimed by worker', created_at: '2026-11-20T10:00:00Z' },
      { id: 3, from_status: 'submitting', to_status: 'open', cause: 'acknowledged by exchange', created_at: '2026-11-20T10:00:01Z' },
    ],
    fills: [
      { id: 40, order: 12, trade_id: 't-40', exchange: 'demo', symbol: 'BTC/USDT', side: 'buy', amount: '0.004', price: '89990', fee: '0.36', fee_currency: 'USDT', is_maker: true, executed_at: '2026-11-20T10:05:00Z' },
    ],
    ...overrides,
  }
}

type Route = (request: RecordedRequest) => Response | Promise<Response>

/** A signed-in backend with demo data for every resource; `overrides` replace single routes. */
export function makePosition(overrides: Partial<Position> = {}): Position {
  return {
    id: 5,
    bot: 3,
    amount: '0.011',
    average_entry: '90000',
    cash: '10.5',
    realised_pnl: '0',
    unrealised_pnl: '11.5',
    last_price: '91045.45',
    updated_at: '2026-11-20T11:00:05Z',
    ...overrides,
  }
}

export function makeBot(overrides: Partial<Bot> = {}): Bot {
  return {
    id: 3,
    name: 'Trend BTC',
    market: 1,
    exchange: 'demo',
    symbol: 'BTC/USDT',
    timeframe: '1h',
    strategy: 'rule',
    rule_name: 'sma_cross',
    rule_params: { fast: 20, slow: 50 },
    model_version: null,
    buy_threshold: 0.5,
    sell_threshold: 0.5,
    account: { kind: 'paper', id: 1, label: 'Paper demo' },
    mode: 'paper',
    capital: '1000',
    fee_rate: 0.001,
    slippage_bps: 5,
    equity: 1011.5,
    live_opt_in: false,
    live_opt_in_at: null,
    state: 'running',
    state_reason: '',
    risk_profile: { max_position: 1, max_open_positions: null, risk_per_trade: null, atr_multiple: 2, atr_window: 14, stop_loss: 0.05, take_profit: null, trailing_stop: null, daily_loss_limit: null, max_drawdown: 0.2, cooldown_seconds: null, min_confidence: null, max_orders_per_hour: null },
    position: makePosition(),
    created_at: '2026-11-20T09:00:00Z',
    started_at: '2026-11-20T09:00:01Z',
    last_tick_at: '2026-11-20T11:00:05Z',
    ...overrides,
  }
}

export function makeTick(overrides: Partial<Tick> = {}): Tick {
  return {
    id: 70,
    bot: 3,
    candle_time: '2026-11-20T10:00:00Z',
    signal: null,
    signal_target: null,
    target: 1,
    equity: 1000,
    checks: [
      { name: 'max_position', passed: true, reason: '' },
      { name: 'orders_per_hour', passed: false, reason: '3 orders in the last hour, limit 3' },
    ],
    order: 12,
    exit_order: null,
    outcome: 'ordered',
    reason: '',
    created_at: '2026-11-20T11:00:05Z',
    ...overrides,
  }
}

export function makeFill(overrides: Partial<Fill> = {}): Fill {
  return { id: 40, order: 12, trade_id: 't-40', exchange: 'demo', symbol: 'BTC/USDT', side: 'buy', amount: '0.004', price: '89990', fee: '0.36', fee_currency: 'USDT', is_maker: true, executed_at: '2026-11-20T10:05:00Z', ...overrides }
}

export function makeTrade(overrides: Partial<Trade> = {}): Trade {
  return { ...makeFill(), bot: null, realised_pnl: null, ...overrides }
}

export const KILL_SWITCHES: KillSwitch[] = [
  { id: 1, scope: 'global', user: null, active: false, reason: '', changed_by: null, changed_at: '2026-11-20T00:00:00Z' },
  { id: 2, scope: 'user', user: 1, active: false, reason: '', changed_by: null, changed_at: '2026-11-20T00:00:00Z' },
]

export const NOTIFICATION_PREFERENCES = {
  quiet_start: null,
  quiet_end: null,
  timezone: 'UTC',
  event_kinds: [
    { kind: 'order.filled', label: 'Order filled' },
    { kind: 'order.rejected', label: 'Order rejected' },
    { kind: 'bot.halted', label: 'Bot halted' },
  ],
}

export function mockBackend(overrides: Record<string, Route> = {}) {
  document.cookie = 'csrftoken=abc; path=/'
  return mockApi({
    'GET /api/auth/me/': () => jsonResponse(USER),
    'GET /api/health/': () => jsonResponse(HEALTH),
    'GET /api/markets/': () => jsonResponse(page(MARKETS)),
    'GET /api/exchanges/': () => jsonResponse(page(EXCHANGES)),
    'GET /api/candles/': () => jsonResponse({ exchange: 'demo', symbol: 'BTC/USDT', timeframe: '1h', candles: candleRows(30), next: null }),
    'GET /api/signals/': () => jsonResponse(page([makeSignal()])),
    'GET /api/models/': () => jsonResponse(page([MODEL, RETIRED_MODEL])),
    'GET /api/models/7/': () => jsonResponse(MODEL),
    'GET /api/models/3/': () => jsonResponse(RETIRED_MODEL),
    'GET /api/news/': () => jsonResponse(page([makeNews()])),
    'GET /api/posts/': () => jsonResponse(page([makePost()])),
    'GET /api/sentiment/': () => jsonResponse(page(makeAggregates(5))),
    'GET /api/backtests/': () => jsonResponse(page([makeBacktest()])),
    'GET /api/backtests/11/': () => jsonResponse(makeBacktest()),
    'GET /api/exchange-accounts/': () => jsonResponse(page([makeAccount()])),
    'GET /api/auth/sessions/': () => jsonResponse(page(SIGN_INS)),
    'GET /api/audit-events/': () => jsonResponse(page(SECURITY_EVENTS)),
    'GET /api/paper-accounts/': () => jsonResponse(PAPER_ACCOUNTS),
    'GET /api/orders/': () => jsonResponse(page([])),
    'GET /api/fills/': () => jsonResponse(page([])),
    'GET /api/bots/': () => jsonResponse(page([])),
    'GET /api/positions/': () => jsonResponse([]),
    'GET /api/kill-switches/': () => jsonResponse(KILL_SWITCHES),
    'GET /api/notifications/unread-count/': () => jsonResponse({ unread: 0 }),
    'GET /api/notifications/': () => jsonResponse(page([])),
    'GET /api/notification-channels/': () => jsonResponse(page([])),
    'GET /api/notification-preferences/': () => jsonResponse(NOTIFICATION_PREFERENCES),
    ...overrides,
  })
}
