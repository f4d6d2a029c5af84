/**
 * Generated from the Django API's OpenAPI schema by `npm run api:types`
 * (scripts/api-types.mjs, openapi-typescript 6.7). Do not edit by hand.
 */

export interface paths {
  "/api/audit-events/": {
    /** @description The user's own security activity: sign-ins, failures, lockouts, keys, live trading. */
    get: operations["audit_events_list"];
  };
  "/api/auth/csrf/": {
    /** @description Set the CSRF cookie for a client that has none yet. */
    get: operations["auth_csrf_retrieve"];
  };
  "/api/auth/login/": {
    /** @description Start a browser session (CSRF-protected); answers with the user. */
    post: operations["auth_login_create"];
  };
  "/api/auth/logout-everywhere/": {
    /** @description Revoke every session and token of the user, this one included. */
    post: operations["auth_logout_everywhere_create"];
  };
  "/api/auth/logout/": {
    /** @description Sign out: revoke the token the request came with, or end the browser session. */
    post: operations["auth_logout_create"];
  };
  "/api/auth/me/": {
    /** @description The signed-in user. */
    get: operations["auth_me_retrieve"];
  };
  "/api/auth/password/change/": {
    /** @description Change the signed-in user's password (the old one is required); revokes API tokens. */
    post: operations["auth_password_change_create"];
  };
  "/api/auth/password/reset/": {
    /** @description E-mail a reset link. Always answers 202, whether or not the address is known. */
    post: operations["auth_password_reset_create"];
  };
  "/api/auth/password/reset/confirm/": {
    /** @description Set a new password from the e-mailed link's uid and token. */
    post: operations["auth_password_reset_confirm_create"];
  };
  "/api/auth/register/": {
    /** @description Create an ordinary account, when the server allows self-registration (QT_ALLOW_SIGNUP). */
    post: operations["auth_register_create"];
  };
  "/api/auth/sessions/": {
    /** @description The signed-in user's browser sessions and API tokens, most recently used first. */
    get: operations["auth_sessions_list"];
  };
  "/api/auth/sessions/{id}/": {
    /** @description Revoke one of the user's sessions or tokens (another user's is 404). */
    delete: operations["auth_sessions_destroy"];
  };
  "/api/auth/token/": {
    /** @description Exchange a username and password for an API token (for scripts). */
    post: operations["auth_token_create"];
  };
  "/api/backtests/": {
    /** @description List the user's backtest runs (paginated) or start a new one. */
    get: operations["backtests_list"];
    /** @description List the user's backtest runs (paginated) or start a new one. */
    post: operations["backtests_create"];
  };
  "/api/backtests/{run_id}/": {
    /** @description One backtest run with its metrics, equity curve and trades; or delete it. */
    get: operations["backtests_retrieve"];
    /** @description One backtest run with its metrics, equity curve and trades; or delete it. */
    delete: operations["backtests_destroy"];
  };
  "/api/backtests/compare/": {
    /** @description Metrics side by side and equity curves of up to 10 of the user's runs. */
    get: operations["backtests_compare_retrieve"];
  };
  "/api/bots/": {
    /** @description The user's bots, or create one (stopped, paper by default). */
    get: operations["bots_list"];
    /** @description The user's bots, or create one (stopped, paper by default). */
    post: operations["bots_create"];
  };
  "/api/bots/{bot_id}/": {
    /** @description One of the user's bots: read, change (partially) or delete. */
    get: operations["bots_retrieve"];
    /** @description One of the user's bots: read, change (partially) or delete. */
    delete: operations["bots_destroy"];
    /** @description One of the user's bots: read, change (partially) or delete. */
    patch: operations["bots_partial_update"];
  };
  "/api/bots/{bot_id}/alert-hook/": {
    /** @description The hook's settings; a bot without one shows a disabled hook with no secret. */
    get: operations["bots_alert_hook_retrieve"];
    /** @description A bot's inbound alert hook: read, set up (PUT; the secret is shown once), remove. */
    put: operations["bots_alert_hook_update"];
    /** @description A bot's inbound alert hook: read, set up (PUT; the secret is shown once), remove. */
    delete: operations["bots_alert_hook_destroy"];
  };
  "/api/bots/{bot_id}/alerts/": {
    /** @description The last 100 alerts a bot's hook received, accepted or refused, with why. */
    get: operations["bots_alerts_list"];
  };
  "/api/bots/{bot_id}/fills/": {
    /** @description The bot's fills as booked into its position, newest first (paginated), with their P&L. */
    get: operations["bots_fills_list"];
  };
  "/api/bots/{bot_id}/kill/": {
    /** @description Halt the bot at once; optionally cancel its open orders and sell its position. */
    post: operations["bots_kill_create"];
  };
  "/api/bots/{bot_id}/live-opt-in/": {
    /** @description Opt the bot into live trading with a typed confirmation (audited). */
    post: operations["bots_live_opt_in_create"];
  };
  "/api/bots/{bot_id}/pause/": {
    /** @description Pause the bot (its position stays). */
    post: operations["bots_pause_create"];
  };
  "/api/bots/{bot_id}/replay/": {
    /** @description Replay the bot over stored candles through the live engine, beside the backtester. */
    post: operations["bots_replay_create"];
  };
  "/api/bots/{bot_id}/start/": {
    /** @description Start or resume the bot (a halted one starts afresh); it decides on the next candle. */
    post: operations["bots_start_create"];
  };
  "/api/bots/{bot_id}/stop/": {
    /** @description Stop the bot (its position stays). */
    post: operations["bots_stop_create"];
  };
  "/api/bots/{bot_id}/ticks/": {
    /** @description The bot's decisions, newest first (paginated), each with its risk checks. */
    get: operations["bots_ticks_list"];
  };
  "/api/candles/": {
    /** @description Stored closed candles of one market and timeframe, as compact arrays. */
    get: operations["candles_retrieve"];
  };
  "/api/exchange-accounts/": {
    /** @description The signed-in user's exchange accounts. Another user's account answers 404. */
    get: operations["exchange_accounts_list"];
    /** @description Check the key with the exchange, then store it encrypted. */
    post: operations["exchange_accounts_create"];
  };
  "/api/exchange-accounts/{id}/": {
    /** @description The signed-in user's exchange accounts. Another user's account answers 404. */
    get: operations["exchange_accounts_retrieve"];
    /** @description Rename, or replace credentials (checked with the exchange first). */
    put: operations["exchange_accounts_update"];
    /** @description Delete the account and its encrypted key. */
    delete: operations["exchange_accounts_destroy"];
    /** @description Same as update: every field is optional. */
    patch: operations["exchange_accounts_partial_update"];
  };
  "/api/exchange-accounts/{id}/test/": {
    /** @description Ask the exchange what the key may do, and report exactly what failed if anything. */
    post: operations["exchange_accounts_test_create"];
  };
  "/api/exchanges/": {
    /** @description The exchanges the platform knows, with how many markets each has. */
    get: operations["exchanges_list"];
  };
  "/api/fills/": {
    /** @description Fills of the user's orders, newest first (paginated), with a bot sale's realised P&L. */
    get: operations["fills_list"];
  };
  "/api/health/": {
    /** @description Report each dependency; 200 when all are fine, 503 otherwise. */
    get: operations["health_retrieve"];
  };
  "/api/hooks/{bot_id}/": {
    /**
     * @description Receive one alert for a bot: `{"action", "symbol", "price", "id", "timestamp", "secret"}`.
     *
     * Answers 202 when accepted (the outcome says whether an order was placed), and the error
     * shape with the reason's code when refused: 403 wrong_secret or address_refused, 429
     * rate_limited, 409 replayed or the bot cannot act, 400 malformed, stale_timestamp,
     * missing_alert_id, bad_action or unknown_symbol. 404 when the bot has no enabled hook.
     */
    post: operations["hooks_create"];
  };
  "/api/kill-switches/": {
    /** @description Your kill switch and the global one; turn yours (or, staff only, the global) on/off. */
    get: operations["kill_switches_list"];
    /** @description Your kill switch and the global one; turn yours (or, staff only, the global) on/off. */
    post: operations["kill_switches_create"];
  };
  "/api/markets/": {
    /** @description Markets with their timeframes, demo flag and newest stored candle. */
    get: operations["markets_list"];
  };
  "/api/models/": {
    /** @description List model versions, newest first. */
    get: operations["models_list"];
  };
  "/api/models/{id}/": {
    /** @description One model version with its fold table, metrics and feature importance. */
    get: operations["models_retrieve"];
  };
  "/api/models/tune/": {
    /**
     * @description Start a walk-forward hyperparameter search (Optuna) of one market and timeframe.
     *
     * It runs on the ml queue; `model_tuning` events on the user's stream report its progress
     * (trials done, best score) and its end (the registered model, champion or why not).
     */
    post: operations["models_tune_create"];
  };
  "/api/news/": {
    /** @description Headlines with their scores, newest first; `start`/`end` filter on `available_at`. */
    get: operations["news_list"];
  };
  "/api/notification-channels/": {
    /** @description The signed-in user's notification channels. Another user's channel answers 404. */
    get: operations["notification_channels_list"];
    /** @description Add a channel; a webhook's signing secret is in this answer only. */
    post: operations["notification_channels_create"];
  };
  "/api/notification-channels/{id}/": {
    /** @description The signed-in user's notification channels. Another user's channel answers 404. */
    get: operations["notification_channels_retrieve"];
    /** @description Remove the channel and its delivery log. */
    delete: operations["notification_channels_destroy"];
    /** @description Change a channel; `paused: false` resumes one that was paused after failures. */
    patch: operations["notification_channels_partial_update"];
  };
  "/api/notification-channels/{id}/deliveries/": {
    /** @description The channel's last 50 deliveries, newest first, with the receivers' answers. */
    get: operations["notification_channels_deliveries_list"];
  };
  "/api/notification-channels/{id}/test/": {
    /** @description Queue a test message to the channel; its delivery shows in the channel's log. */
    post: operations["notification_channels_test_create"];
  };
  "/api/notification-preferences/": {
    /** @description Quiet hours (in the user's time zone) and the event kinds a channel can take. */
    get: operations["notification_preferences_retrieve"];
    /** @description Quiet hours (in the user's time zone) and the event kinds a channel can take. */
    patch: operations["notification_preferences_partial_update"];
  };
  "/api/notifications/": {
    /** @description The user's notifications of the last 30 days, newest first (`?unread=true` filters). */
    get: operations["notifications_list"];
  };
  "/api/notifications/mark-read/": {
    /** @description Mark some or all of the user's notifications read. */
    post: operations["notifications_mark_read_create"];
  };
  "/api/notifications/unread-count/": {
    /** @description How many of the user's notifications are unread (the header's badge). */
    get: operations["notifications_unread_count_retrieve"];
  };
  "/api/orders/": {
    /** @description The user's orders (filtered, paginated), or place a manual order. */
    get: operations["orders_list"];
    /** @description The user's orders (filtered, paginated), or place a manual order. */
    post: operations["orders_create"];
  };
  "/api/orders/{order_id}/": {
    /** @description One of the user's orders with its state history and fills. */
    get: operations["orders_retrieve"];
  };
  "/api/orders/{order_id}/cancel/": {
    /** @description Cancel one of the user's orders: 200 when done, 202 while the exchange is asked. */
    post: operations["orders_cancel_create"];
  };
  "/api/paper-accounts/": {
    /** @description The user's paper accounts; the demo exchange's one is created on first visit. */
    get: operations["paper_accounts_list"];
  };
  "/api/positions/": {
    /** @description The positions of the user's bots (`open=true`: only those holding something). */
    get: operations["positions_list"];
  };
  "/api/posts/": {
    /** @description Social posts with their scores, newest first; `start`/`end` filter on `available_at`. */
    get: operations["posts_list"];
  };
  "/api/ready/": {
    /** @description Readiness: 200 when this instance may take traffic, 503 naming each failed check. */
    get: operations["ready_retrieve"];
  };
  "/api/sentiment/": {
    /** @description Closed sentiment buckets of an asset, oldest first; bounds apply to the bucket end. */
    get: operations["sentiment_list"];
  };
  "/api/signals/": {
    /** @description Signals, newest candle first, filtered by market, timeframe, time, action and model. */
    get: operations["signals_list"];
  };
}

export type webhooks = Record<string, never>;

export interface components {
  schemas: {
    Aggregate: {
      asset: string;
      /** Format: date-time */
      bucket_end: string;
      /** Format: date-time */
      bucket_start: string;
      interval: string;
      item_count: number;
      /** Format: double */
      mean_compound: number;
      /** Format: double */
      share_negative: number;
      /** Format: double */
      share_positive: number;
      /** Format: double */
      weighted_compound: number;
    };
    AlertAccepted: {
      order: number | null;
      outcome: string;
      reason: string;
      receipt: number;
    };
    AlertHook: {
      /** @description Source addresses or networks; empty allows any. */
      allowed_addresses: unknown;
      /** Format: date-time */
      created_at: string;
      enabled: boolean;
      max_per_minute: number;
      /** @description The secret's last 4 characters. */
      secret_hint: string;
      /** Format: date-time */
      updated_at: string;
      /** @description Where to send alerts. */
      url: string;
      /** @description How far an alert's timestamp may be from the server's clock. */
      window_seconds: number;
    };
    AlertHookCreated: {
      /** @description Source addresses or networks; empty allows any. */
      allowed_addresses: unknown;
      /** Format: date-time */
      created_at: string;
      enabled: boolean;
      max_per_minute: number;
      /** @description The new secret, shown only now ('' if kept). */
      secret: string;
      /** @description The secret's last 4 characters. */
      secret_hint: string;
      /** Format: date-time */
      updated_at: string;
      /** @description Where to send alerts. */
      url: string;
      /** @description How far an alert's timestamp may be from the server's clock. */
      window_seconds: number;
    };
    AlertHookUpdateRequest: {
      allowed_addresses?: string[];
      enabled?: boolean;
      max_per_minute?: number;
      /** @default false */
      rotate_secret?: boolean;
      window_seconds?: number;
    };
    AlertReceipt: {
      accepted: boolean;
      action: string;
      alert_id: string;
      checks: unknown;
      id: number;
      message: string;
      order: number | null;
      /** @description ordered, no_order, ... */
      outcome: string;
      price: string;
      /** @description A stable code: accepted or why refused. */
      reason: string;
      /** Format: date-time */
      received_at: string;
      source_address: string | null;
      symbol: string;
    };
    AuditEvent: {
      action: components["schemas"]["AuditEventActionEnum"];
      action_label: string;
      /** @description Done by someone else (a staff member), not by the user. */
      by_staff: boolean;
      /** Format: date-time */
      created_at: string;
      details: unknown;
      id: number;
      ip_address: string | null;
      target_repr: string;
      target_type: string;
    };
    /**
     * @description * `exchange_key.created` - Exchange key created
     * * `exchange_key.rotated` - Exchange key replaced
     * * `exchange_key.deleted` - Exchange key deleted
     * * `exchange_key.unusable` - Exchange key marked unusable
     * * `master_keys.rotated` - Master keys rotated
     * * `bot.mode_changed` - Bot mode changed
     * * `trading.live_enabled` - Live trading enabled
     * * `trading.kill_switch` - Kill switch
     * * `order.placed` - Order placed
     * * `order.status_changed` - Order status changed
     * * `order.fill` - Order fill recorded
     * * `order.cancel_requested` - Order cancel requested
     * * `auth.login` - Signed in
     * * `auth.login_failed` - Sign-in failed
     * * `auth.login_locked` - Login locked
     * * `auth.session_revoked` - Session or token revoked
     * * `auth.logout_everywhere` - Signed out everywhere
     * * `exchange_key.tested` - Exchange key tested
     * * `auth.password_changed` - Password changed
     * * `auth.password_reset` - Password reset
     * * `auth.registered` - User registered
     * @enum {string}
     */
    AuditEventActionEnum: "exchange_key.created" | "exchange_key.rotated" | "exchange_key.deleted" | "exchange_key.unusable" | "master_keys.rotated" | "bot.mode_changed" | "trading.live_enabled" | "trading.kill_switch" | "order.placed" | "order.status_changed" | "order.fill" | "order.cancel_requested" | "auth.login" | "auth.login_failed" | "auth.login_locked" | "auth.session_revoked" | "auth.logout_everywhere" | "exchange_key.tested" | "auth.password_changed" | "auth.password_reset" | "auth.registered";
    BacktestCompare: {
      runs: components["schemas"]["BacktestCompareRun"][];
    };
    BacktestCompareRun: {
      config: components["schemas"]["BacktestStoredConfig"];
      /** @description [[epoch ms, equity], ...], at most about 2000 points */
      equity_curve: number[][];
      id: number;
      metrics: components["schemas"]["BacktestMetrics"];
      status: components["schemas"]["BacktestStatusEnum"];
    };
    BacktestConfigRequest: {
      /** Format: date-time */
      end?: string | null;
      exchange: string;
      /**
       * Format: double
       * @default 0.001
       */
      fee?: number;
      /**
       * Format: double
       * @default 10000
       */
      initial_cash?: number;
      /** Format: double */
      maker_fee?: number | null;
      /**
       * @description Apply the market's lot step and minimum notional.
       * @default true
       */
      market_limits?: boolean;
      /** Format: double */
      max_drawdown?: number | null;
      params?: {
        [key: string]: unknown;
      };
      sizing?: components["schemas"]["SizingRequest"];
      /**
       * Format: double
       * @default 5
       */
      slippage_bps?: number;
      /** Format: date-time */
      start?: string | null;
      stops?: components["schemas"]["StopsRequest"];
      /** @description one of ['rsi_bands', 'sma_cross'], walk_forward, or model:<model version id> */
      strategy: string;
      symbol: string;
      timeframe: string;
    };
    /** @description A run's metrics; empty until it is done. Null where a ratio is undefined. */
    BacktestMetrics: {
      /** Format: double */
      annual_volatility?: number | null;
      /** Format: double */
      buy_and_hold_return?: number;
      /** Format: double */
      cagr?: number | null;
      /** Format: double */
      calmar?: number | null;
      candles?: number;
      /** Format: date-time */
      end?: string | null;
      /** Format: double */
      expectancy?: number | null;
      /** Format: double */
      expectancy_return?: number | null;
      /** Format: double */
      exposure?: number;
      /** Format: double */
      fees_paid?: number;
      /** Format: double */
      final_equity?: number;
      /** Format: double */
      initial_cash?: number;
      /** Format: double */
      max_drawdown?: number;
      max_drawdown_duration_candles?: number;
      /** Format: double */
      max_drawdown_duration_days?: number | null;
      /** Format: double */
      profit_factor?: number | null;
      /** Format: double */
      sharpe?: number | null;
      /** Format: double */
      sortino?: number | null;
      /** Format: date-time */
      start?: string | null;
      /** Format: double */
      time_in_market?: number;
      /** Format: double */
      total_return?: number;
      trades?: number;
      /** Format: double */
      win_rate?: number | null;
    };
    BacktestRun: {
      config: components["schemas"]["BacktestStoredConfig"];
      /** Format: date-time */
      created_at: string;
      error: string;
      /** Format: date-time */
      finished_at: string | null;
      id: number;
      metrics: components["schemas"]["BacktestMetrics"];
      /**
       * Format: double
       * @description 0 to 1
       */
      progress: number;
      /** Format: date-time */
      started_at: string | null;
      status: components["schemas"]["BacktestStatusEnum"];
    };
    BacktestRunDetail: {
      config: components["schemas"]["BacktestStoredConfig"];
      /** Format: date-time */
      created_at: string;
      /** @description [[epoch ms, equity], ...], at most about 2000 points */
      equity_curve: readonly number[][];
      error: string;
      /** Format: date-time */
      finished_at: string | null;
      id: number;
      metrics: components["schemas"]["BacktestMetrics"];
      /**
       * Format: double
       * @description 0 to 1
       */
      progress: number;
      /** Format: date-time */
      started_at: string | null;
      status: components["schemas"]["BacktestStatusEnum"];
      trades: readonly components["schemas"]["BacktestTrade"][];
    };
    BacktestSizing: {
      /** Format: double */
      atr_multiple?: number;
      /** Format: double */
      fraction?: number;
      /** Format: double */
      max_position?: number;
      method?: components["schemas"]["SizingMethodEnum"];
      /** Format: double */
      risk_per_trade?: number;
      /** Format: double */
      target_volatility?: number;
      window?: number;
    };
    /**
     * @description * `queued` - Queued
     * * `running` - Running
     * * `done` - Done
     * * `failed` - Failed
     * @enum {string}
     */
    BacktestStatusEnum: "queued" | "running" | "done" | "failed";
    BacktestStops: {
      /** Format: double */
      stop_loss?: number;
      /** Format: double */
      take_profit?: number;
      /** Format: double */
      trailing_stop?: number;
    };
    /** @description A run's configuration as checked and stored, every default filled in. */
    BacktestStoredConfig: {
      /** Format: date-time */
      end: string | null;
      exchange: string;
      /** Format: double */
      fee: number;
      /** Format: double */
      initial_cash: number;
      /** Format: double */
      maker_fee: number | null;
      market_limits: boolean;
      /** Format: double */
      max_drawdown: number | null;
      params: {
        [key: string]: number;
      };
      sizing: components["schemas"]["BacktestSizing"];
      /** Format: double */
      slippage_bps: number;
      /** Format: date-time */
      start: string | null;
      stops: components["schemas"]["BacktestStops"];
      strategy: string;
      symbol: string;
      timeframe: string;
    };
    /** @description One closed trade; prices and amounts are null where not finite. */
    BacktestTrade: {
      /** Format: double */
      entry_price: number | null;
      /** Format: date-time */
      entry_time: string;
      /** Format: double */
      exit_price: number | null;
      exit_reason: components["schemas"]["ExitReasonEnum"];
      /** Format: date-time */
      exit_time: string;
      /** Format: double */
      exposure: number | null;
      /** Format: double */
      fees: number | null;
      /** Format: double */
      pnl: number | null;
      /** Format: double */
      return: number | null;
      /** Format: double */
      size: number | null;
    };
    /** @enum {unknown} */
    BlankEnum: "";
    Bot: {
      account: components["schemas"]["BotAccount"];
      /** Format: double */
      buy_threshold: number;
      /** @description Decimal, quote currency */
      capital: string;
      created_at: string;
      /**
       * Format: double
       * @description at the last decision
       */
      equity: number | null;
      exchange: string;
      /** Format: double */
      fee_rate: number;
      id: number;
      last_tick_at: string | null;
      live_opt_in: boolean;
      live_opt_in_at: string | null;
      market: number;
      mode: components["schemas"]["TradingModeEnum"];
      model_version: number | null;
      name: string;
      position: components["schemas"]["Position"] | null;
      risk_profile: components["schemas"]["RiskProfile"] | null;
      rule_name: string;
      rule_params: {
        [key: string]: unknown;
      };
      /** Format: double */
      sell_threshold: number;
      /** Format: double */
      slippage_bps: number;
      started_at: string | null;
      state: components["schemas"]["StateEnum"];
      state_reason: string;
      strategy: components["schemas"]["StrategyEnum"];
      symbol: string;
      timeframe: string;
    };
    BotAccount: {
      id: number;
      kind: components["schemas"]["TradingModeEnum"];
      label: string;
    };
    BotCreateRequest: {
      /**
       * Format: double
       * @default 0.5
       */
      buy_threshold?: number;
      /**
       * Format: decimal
       * @description quote currency the bot trades with (default 1000)
       */
      capital?: string;
      exchange_account?: number | null;
      /**
       * Format: double
       * @default 0.001
       */
      fee_rate?: number;
      market: number;
      model_version?: number | null;
      name: string;
      paper_account?: number | null;
      risk_profile?: components["schemas"]["RiskProfileRequest"];
      /** @default */
      rule_name?: string;
      rule_params?: {
        [key: string]: unknown;
      };
      /**
       * Format: double
       * @default 0.5
       */
      sell_threshold?: number;
      /**
       * Format: double
       * @default 5
       */
      slippage_bps?: number;
      strategy: components["schemas"]["StrategyEnum"];
      timeframe: string;
    };
    BotFill: {
      /** @description Decimal, as a string */
      amount: string;
      bot: number;
      /** @description ISO 8601, UTC */
      executed_at: string;
      /** @description Decimal, quote currency */
      fee: string;
      /** @description the fill's id */
      id: number;
      order: number;
      /** @description Decimal: what the bot held after it */
      position_amount: string;
      /** @description Decimal, as a string */
      price: string;
      /** @description Decimal, quote currency: a sale's proceeds less the share of the position's cost (buy fees included) it sold; null for a buy */
      realised_pnl: string | null;
      side: components["schemas"]["SideEnum"];
    };
    Calibration: {
      coef: number[][];
      intercept: number[];
      rows: number;
    };
    CandlePage: {
      /** @description [open time in epoch ms, open, high, low, close, base volume], oldest first */
      candles: number[][];
      /** @description always ["t","o","h","l","c","v"] */
      columns: string[];
      exchange: string;
      is_demo: boolean;
      /**
       * Format: uri
       * @description the next page, or null
       */
      next: string | null;
      /** @description epoch ms to pass as `start` for the next page, or null */
      next_start: number | null;
      symbol: string;
      timeframe: string;
    };
    Check: {
      name: string;
      passed: boolean;
      reason: string;
    };
    /** @description One number per class. */
    ClassValues: {
      /** Format: double */
      BUY: number;
      /** Format: double */
      HOLD: number;
      /** Format: double */
      SELL: number;
    };
    ConnectionReport: {
      detail: string;
      exchange_message: string;
      failure: components["schemas"]["FailureEnum"] | components["schemas"]["BlankEnum"];
      ok: boolean;
      permissions: {
        [key: string]: unknown;
      } | null;
      warnings: string[];
    };
    CredentialsRequest: {
      password: string;
      username: string;
    };
    Delivery: {
      attempts: number;
      /** Format: date-time */
      created_at: string;
      /** Format: date-time */
      delivered_at: string | null;
      error: string;
      id: number;
      is_test: boolean;
      kind: string;
      /** Format: date-time */
      next_attempt_at: string | null;
      notification: number | null;
      /** @description Why skipped or failed. */
      reason: string;
      response_code: number | null;
      response_excerpt: string;
      status: components["schemas"]["DeliveryStatusEnum"];
    };
    /**
     * @description * `pending` - Pending
     * * `sending` - Sending
     * * `sent` - Sent
     * * `failed` - Failed
     * * `skipped` - Skipped
     * @enum {string}
     */
    DeliveryStatusEnum: "pending" | "sending" | "sent" | "failed" | "skipped";
    /** @description The one error body every API error has (documented as the `Error` component). */
    Error: {
      /** @description Stable machine-readable code, e.g. validation_error, not_authenticated, permission_denied, not_found, throttled, market_not_verified. */
      code: string;
      /** @description The input that caused the error, or null. */
      field: string | null;
      /** @description Messages per input name (nested names joined with '.'); {} when none. */
      fields: {
        [key: string]: string[];
      };
      /** @description A sentence to show the user. */
      message: string;
    };
    /** @description Pooled out-of-sample evaluation and the champion verdict; empty for older models. */
    Evaluation: {
      /**
       * Format: double
       * @description expected best-of-N Sharpe
       */
      benchmark?: number;
      /** Format: double */
      brier?: number;
      /** Format: double */
      buy_hold_return?: number;
      /** Format: double */
      deflated_sharpe?: number;
      /** Format: double */
      ece?: number;
      eligible?: boolean;
      /** Format: double */
      fee_rate?: number;
      /** Format: double */
      log_loss?: number;
      /** Format: double */
      log_loss_t?: number;
      /** Format: double */
      net_return?: number;
      /** Format: double */
      pbo?: number | null;
      /** Format: double */
      prior_log_loss?: number;
      random_draws?: number;
      /** Format: double */
      random_median_return?: number;
      /** Format: double */
      random_p95_return?: number;
      /** Format: double */
      random_percentile?: number;
      reasons?: string[];
      reliability?: components["schemas"]["Reliability"];
      search?: components["schemas"]["Search"];
      /** Format: double */
      sharpe?: number;
      /** Format: double */
      slippage_bps?: number;
      thresholds?: components["schemas"]["Thresholds"];
      trades?: number;
      trials?: number;
    };
    EventKind: {
      kind: string;
      label: string;
    };
    EventKindRequest: {
      kind: string;
      label: string;
    };
    /**
     * @description * `bot.halted` - bot.halted
     * * `bot.kill_switch` - bot.kill_switch
     * * `bot.started` - bot.started
     * * `inbound_alert.refused` - inbound_alert.refused
     * * `ingestion.stalled` - ingestion.stalled
     * * `key.scope_failed` - key.scope_failed
     * * `login.new_address` - login.new_address
     * * `model.champion` - model.champion
     * * `order.filled` - order.filled
     * * `order.rejected` - order.rejected
     * * `order.unknown` - order.unknown
     * * `pnl.daily_summary` - pnl.daily_summary
     * @enum {string}
     */
    EventsEnum: "bot.halted" | "bot.kill_switch" | "bot.started" | "inbound_alert.refused" | "ingestion.stalled" | "key.scope_failed" | "login.new_address" | "model.champion" | "order.filled" | "order.rejected" | "order.unknown" | "pnl.daily_summary";
    Exchange: {
      ccxt_id: string;
      enabled: boolean;
      /** @description Generated offline market data, not a real venue. */
      is_demo: boolean;
      market_count: number;
      name: string;
      /** @description Use the exchange's testnet URLs. */
      sandbox: boolean;
    };
    /** @description The stored account as shown to its owner: the key masked, secrets never. */
    ExchangeAccount: {
      /** @description Last four characters. */
      api_key: string;
      /** Format: date-time */
      created_at: string;
      exchange: string;
      has_passphrase: boolean;
      id: number;
      label: string;
      mode: components["schemas"]["ExchangeAccountModeEnum"];
      permissions: components["schemas"]["Permissions"];
      status: components["schemas"]["ExchangeAccountStatusEnum"];
      status_message: string;
      /** Format: date-time */
      updated_at: string;
      warnings: string[];
    };
    ExchangeAccountCreateRequest: {
      api_key: string;
      /** @description ccxt id, e.g. binance */
      exchange: string;
      label: string;
      mode: components["schemas"]["ExchangeAccountModeEnum"];
      passphrase?: string;
      secret: string;
    };
    /**
     * @description * `testnet` - Testnet
     * * `live` - Live
     * @enum {string}
     */
    ExchangeAccountModeEnum: "testnet" | "live";
    /**
     * @description * `ok` - Usable
     * * `unusable` - Unusable
     * @enum {string}
     */
    ExchangeAccountStatusEnum: "ok" | "unusable";
    /** @description Blank or missing credential fields keep the stored values. */
    ExchangeAccountUpdateRequest: {
      api_key?: string;
      label?: string;
      passphrase?: string;
      secret?: string;
    };
    /**
     * @description * `signal` - signal
     * * `stop_loss` - stop_loss
     * * `trailing_stop` - trailing_stop
     * * `take_profit` - take_profit
     * * `end` - end
     * @enum {string}
     */
    ExitReasonEnum: "signal" | "stop_loss" | "trailing_stop" | "take_profit" | "end";
    Explanation: {
      feature_set_version: string;
      headlines: components["schemas"]["Headline"][];
      top_features: components["schemas"]["FeatureContribution"][];
    };
    /**
     * @description * `` -
     * * `auth` - auth
     * * `permission` - permission
     * * `rate_limited` - rate_limited
     * * `exchange_down` - exchange_down
     * * `network` - network
     * * `unknown_exchange` - unknown_exchange
     * * `exchange_error` - exchange_error
     * * `decryption` - decryption
     * * `key_scope` - key_scope
     * @enum {string}
     */
    FailureEnum: "auth" | "permission" | "rate_limited" | "exchange_down" | "network" | "unknown_exchange" | "exchange_error" | "decryption" | "key_scope";
    FeatureConfig: {
      higher_timeframe: string | null;
      max_gap_candles: number;
      return_horizons: number[];
      slope_lag: number;
      timeframe: string;
      use_sentiment: boolean;
      volatility_windows: number[];
      volume_window: number;
      zscore_window: number;
    };
    FeatureContribution: {
      /**
       * Format: double
       * @description SHAP contribution, margin units
       */
      contribution: number;
      feature: string;
      /** @description the feature's value, "NaN" when missing */
      value: number | "NaN";
    };
    Fill: {
      /** @description Decimal, as a string */
      amount: string;
      exchange: string;
      /** @description ISO 8601, UTC */
      executed_at: string;
      /** @description Decimal, as a string */
      fee: string;
      fee_currency: string | null;
      id: number;
      is_maker: boolean | null;
      order: number;
      /** @description Decimal, as a string */
      price: string;
      side: components["schemas"]["SideEnum"];
      symbol: string;
      trade_id: string;
    };
    /** @description One walk-forward fold; the trading figures are there when the fold was backtested. */
    FoldMetrics: {
      /** Format: double */
      accuracy: number;
      best_iteration: number;
      /** Format: double */
      brier?: number;
      /** Format: double */
      buy_hold_return?: number;
      /** Format: double */
      buy_threshold?: number;
      calibration?: components["schemas"]["Calibration"];
      calibration_rows?: number;
      /** Format: date-time */
      calibration_start?: string;
      class_mix: components["schemas"]["ClassValues"];
      /**
       * Format: double
       * @description expected calibration error
       */
      ece?: number;
      /** Format: double */
      fee_rate?: number;
      fold: number;
      /** Format: double */
      log_loss: number;
      /** Format: double */
      log_loss_skill: number;
      /** Format: double */
      macro_f1: number;
      mean_predicted?: components["schemas"]["ClassValues"];
      /** Format: double */
      net_return?: number;
      precision: components["schemas"]["ClassValues"];
      predicted_mix: components["schemas"]["ClassValues"];
      /** @description class prior of the training window */
      prior?: components["schemas"]["ClassValues"];
      /** Format: double */
      prior_brier?: number;
      /** Format: double */
      prior_ece?: number;
      /** Format: double */
      prior_log_loss: number;
      /** Format: double */
      random_return?: number;
      /**
       * Format: double
       * @description log loss of the uncalibrated (class-weighted) probabilities
       */
      raw_log_loss?: number;
      recall: components["schemas"]["ClassValues"];
      /** Format: double */
      sell_threshold?: number;
      /** Format: double */
      slippage_bps?: number;
      /** Format: date-time */
      test_end: string;
      test_rows: number;
      /** Format: date-time */
      test_start: string;
      trades?: number;
      /** Format: date-time */
      train_end: string;
      train_rows: number;
      /** Format: date-time */
      train_start: string;
    };
    Headline: {
      /** Format: date-time */
      available_at: string;
      /** Format: double */
      compound: number;
      is_demo: boolean;
      title: string;
      url: string;
    };
    Health: {
      checks: {
        [key: string]: components["schemas"]["HealthCheck"];
      };
      mode: components["schemas"]["HealthModeEnum"];
      status: components["schemas"]["HealthStatusEnum"];
      version: string;
    };
    /** @description One dependency's check (documented as the `HealthCheck` component). */
    HealthCheck: {
      detail: string;
      /**
       * Format: date-time
       * @description worker only: its last heartbeat, if any
       */
      last_heartbeat?: string | null;
      /** Format: double */
      latency_ms: number;
      ok: boolean;
      /**
       * Format: double
       * @description stream_outbox only: age of the oldest of them
       */
      oldest_pending_seconds?: number | null;
      /** @description stream_outbox only: events committed, not yet dispatched */
      pending_events?: number;
      /** @description stream_outbox only: events kept for replay */
      stored_events?: number;
    };
    HealthDegraded: {
      checks: {
        [key: string]: components["schemas"]["HealthCheck"];
      };
      /** @description always "unhealthy" */
      code: string;
      field: string | null;
      fields: {
        [key: string]: unknown[];
      };
      message: string;
      mode: components["schemas"]["HealthModeEnum"];
      status: components["schemas"]["HealthStatusEnum"];
      version: string;
    };
    /**
     * @description * `embedded` - embedded
     * * `production` - production
     * @enum {string}
     */
    HealthModeEnum: "embedded" | "production";
    /**
     * @description * `ok` - ok
     * * `degraded` - degraded
     * @enum {string}
     */
    HealthStatusEnum: "ok" | "degraded";
    Hyperparameters: {
      /** Format: double */
      colsample_bytree: number;
      early_stopping_rounds: number;
      /** Format: double */
      learning_rate: number;
      max_depth: number;
      /** Format: double */
      min_child_weight: number;
      nthread: number;
      num_boost_round: number;
      /** Format: double */
      reg_lambda: number;
      seed: number;
      /** Format: double */
      subsample: number;
      /** Format: double */
      valid_fraction: number;
    };
    KillRequest: {
      /** @default true */
      cancel_orders?: boolean;
      /** @default false */
      close_position?: boolean;
      /** @default */
      reason?: string;
    };
    KillSwitch: {
      active: boolean;
      changed_at: string;
      changed_by: number | null;
      id: number;
      reason: string;
      scope: components["schemas"]["ScopeEnum"];
      user: number | null;
    };
    KillSwitchSetRequest: {
      active: boolean;
      /** @default false */
      cancel_orders?: boolean;
      /** @default false */
      close_positions?: boolean;
      /** @default */
      reason?: string;
      /**
       * @description global: staff only
       *
       * * `user` - user
       * * `global` - global
       */
      scope: components["schemas"]["ScopeEnum"];
    };
    /**
     * @description * `fixed` - fixed
     * * `volatility` - volatility
     * * `triple_barrier` - triple_barrier
     * @enum {string}
     */
    LabelMethodEnum: "fixed" | "volatility" | "triple_barrier";
    LabelParams: {
      /** Format: double */
      fee_rate: number;
      horizon: number;
      /** Format: double */
      margin: number;
      method: components["schemas"]["LabelMethodEnum"];
      /** Format: double */
      slippage_bps: number;
      /**
       * Format: double
       * @description the return a move must exceed
       */
      threshold: number;
      /**
       * Format: double
       * @description volatility labels: the barrier as a multiple of that volatility
       */
      vol_multiple?: number;
      /** @description volatility labels: candles of one-candle returns the volatility is taken over */
      vol_window?: number;
    };
    LiveOptInRequest: {
      /** @description the bot's name or its market's symbol, typed by the user */
      confirmation: string;
    };
    Marked: {
      marked: number;
    };
    Market: {
      active: boolean;
      base: string;
      /** @description Ingest candles on schedule. */
      enabled: boolean;
      exchange: string;
      id: number;
      is_demo: boolean;
      /** Format: date-time */
      last_candle_at: string | null;
      /** @description False while the market's limits are unknown (created offline, e.g. by a CSV import); such a market takes no orders until its listing is read. */
      listing_verified: boolean;
      quote: string;
      symbol: string;
      timeframes: readonly string[];
    };
    MarketRef: {
      exchange: string;
      symbol: string;
    };
    MarkReadRequest: {
      /** @description Which notifications; without it, all of them. */
      ids?: number[];
    };
    ModelVersionDetail: {
      artifact_sha256: string;
      /** Format: date-time */
      created_at: string;
      evaluation: components["schemas"]["Evaluation"];
      feature_config: components["schemas"]["FeatureConfig"];
      feature_importance: {
        [key: string]: number;
      };
      feature_set_version: string;
      fold_metrics: readonly components["schemas"]["FoldMetrics"][];
      hyperparameters: components["schemas"]["Hyperparameters"];
      id: number;
      is_demo?: boolean;
      label_params: components["schemas"]["LabelParams"];
      markets: readonly components["schemas"]["MarketRef"][];
      /** Format: date-time */
      promoted_at?: string | null;
      promotion: components["schemas"]["Promotion"];
      status: components["schemas"]["ModelVersionStatusEnum"];
      /**
       * Format: double
       * @description Mean walk-forward log-loss skill over the prior.
       */
      summary_score: number;
      timeframe: string;
      /** Format: date-time */
      train_end: string;
      /** Format: date-time */
      train_start: string;
    };
    ModelVersionList: {
      /** Format: date-time */
      created_at: string;
      feature_set_version: string;
      id: number;
      is_demo?: boolean;
      markets: readonly components["schemas"]["MarketRef"][];
      /** Format: date-time */
      promoted_at?: string | null;
      status: components["schemas"]["ModelVersionStatusEnum"];
      /**
       * Format: double
       * @description Mean walk-forward log-loss skill over the prior.
       */
      summary_score: number;
      timeframe: string;
      /** Format: date-time */
      train_end: string;
      /** Format: date-time */
      train_start: string;
    };
    /**
     * @description * `candidate` - Candidate
     * * `champion` - Champion
     * * `retired` - Retired
     * @enum {string}
     */
    ModelVersionStatusEnum: "candidate" | "champion" | "retired";
    NewsItem: {
      /** Format: date-time */
      available_at: string;
      /** @description Asset codes. */
      currencies: unknown;
      domain: string;
      external_id: string;
      id: number;
      /** Format: date-time */
      ingested_at: string;
      is_demo: boolean;
      /** Format: date-time */
      published_at: string;
      score: components["schemas"]["Score"] | null;
      source_name: string;
      title: string;
      url: string;
      votes: unknown;
    };
    Notification: {
      body: string;
      /** Format: date-time */
      created_at: string;
      data: unknown;
      id: number;
      kind: string;
      read: boolean;
      /** Format: date-time */
      read_at: string | null;
      title: string;
    };
    /** @description A channel as its owner sees it: the target masked, the secrets never. */
    NotificationChannel: {
      consecutive_failures: number;
      /** Format: date-time */
      created_at: string;
      enabled: boolean;
      events: components["schemas"]["EventsEnum"][];
      id: number;
      kind: components["schemas"]["NotificationChannelKindEnum"];
      label: string;
      /** Format: date-time */
      last_failure_at: string | null;
      /** Format: date-time */
      last_success_at: string | null;
      masked_target: string;
      max_per_hour: number;
      paused: boolean;
      paused_reason: string;
    };
    /** @description A channel as its owner sees it: the target masked, the secrets never. */
    NotificationChannelCreated: {
      consecutive_failures: number;
      /** Format: date-time */
      created_at: string;
      enabled: boolean;
      events: components["schemas"]["EventsEnum"][];
      id: number;
      kind: components["schemas"]["NotificationChannelKindEnum"];
      label: string;
      /** Format: date-time */
      last_failure_at: string | null;
      /** Format: date-time */
      last_success_at: string | null;
      masked_target: string;
      max_per_hour: number;
      paused: boolean;
      paused_reason: string;
      /** @description A webhook's signing secret, shown only now (empty for other kinds). */
      secret: string;
    };
    NotificationChannelCreateRequest: {
      email?: string;
      events: components["schemas"]["EventsEnum"][];
      kind: components["schemas"]["NotificationChannelKindEnum"];
      label: string;
      /** @default 30 */
      max_per_hour?: number;
      /** @description Webhook URL, or an Apprise URL (tgram://, discord://, ntfy://, ...). */
      url?: string;
    };
    /**
     * @description * `webhook` - Signed webhook
     * * `apprise` - Apprise URL
     * * `email` - E-mail
     * @enum {string}
     */
    NotificationChannelKindEnum: "webhook" | "apprise" | "email";
    NotReady: {
      checks: {
        [key: string]: components["schemas"]["HealthCheck"];
      };
      /** @description always "not_ready" */
      code: string;
      field: string | null;
      fields: {
        [key: string]: unknown[];
      };
      message: string;
      status: components["schemas"]["ReadyStatusEnum"];
    };
    Order: {
      account: components["schemas"]["OrderAccount"];
      /** @description Decimal, as a string */
      amount: string;
      /** @description Decimal, as a string */
      average_price: string | null;
      bot: number | null;
      client_order_id: string;
      /** @description ISO 8601, UTC */
      created_at: string;
      exchange: string;
      exchange_order_id: string | null;
      /** @description Decimal, as a string */
      fee: string;
      fee_currency: string | null;
      /** @description Decimal, as a string */
      filled_amount: string;
      id: number;
      /** @description Decimal, as a string */
      price: string | null;
      reason: string;
      side: components["schemas"]["SideEnum"];
      status: components["schemas"]["OrderStatusEnum"];
      symbol: string;
      type: components["schemas"]["TypeEnum"];
      /** @description ISO 8601, UTC */
      updated_at: string;
    };
    OrderAccount: {
      exchange: string;
      id: number;
      kind: components["schemas"]["TradingModeEnum"];
      label: string;
    };
    OrderCreateRequest: {
      /**
       * Format: decimal
       * @description base currency
       */
      amount: string;
      /** @description optional; must fit the exchange's rules and not start with 'qt-' */
      client_order_id?: string | null;
      exchange_account?: number | null;
      paper_account?: number | null;
      /**
       * Format: decimal
       * @description limit orders only; must lie on the market's price tick
       */
      price?: string | null;
      side: components["schemas"]["SideEnum"];
      symbol: string;
      type: components["schemas"]["TypeEnum"];
    };
    OrderDetail: {
      account: components["schemas"]["OrderAccount"];
      /** @description Decimal, as a string */
      amount: string;
      /** @description Decimal, as a string */
      average_price: string | null;
      bot: number | null;
      client_order_id: string;
      /** @description ISO 8601, UTC */
      created_at: string;
      events: components["schemas"]["OrderEvent"][];
      exchange: string;
      exchange_order_id: string | null;
      /** @description Decimal, as a string */
      fee: string;
      fee_currency: string | null;
      /** @description Decimal, as a string */
      filled_amount: string;
      fills: components["schemas"]["Fill"][];
      id: number;
      /** @description Decimal, as a string */
      price: string | null;
      reason: string;
      side: components["schemas"]["SideEnum"];
      status: components["schemas"]["OrderStatusEnum"];
      symbol: string;
      type: components["schemas"]["TypeEnum"];
      /** @description ISO 8601, UTC */
      updated_at: string;
    };
    OrderEvent: {
      cause: string;
      /** @description ISO 8601, UTC */
      created_at: string;
      from_status: components["schemas"]["OrderStatusEnum"];
      id: number;
      to_status: components["schemas"]["OrderStatusEnum"];
    };
    /**
     * @description * `new` - New
     * * `submitting` - Submitting
     * * `open` - Open
     * * `partially_filled` - Partially filled
     * * `filled` - Filled
     * * `canceled` - Canceled
     * * `rejected` - Rejected
     * * `expired` - Expired
     * * `unknown` - Unknown
     * @enum {string}
     */
    OrderStatusEnum: "new" | "submitting" | "open" | "partially_filled" | "filled" | "canceled" | "rejected" | "expired" | "unknown";
    /**
     * @description * `pending` - pending
     * * `ordered` - ordered
     * * `no_order` - no_order
     * * `refused` - refused
     * * `waiting` - waiting
     * * `stale` - stale
     * * `halted` - halted
     * * `killed` - killed
     * * `error` - error
     * @enum {string}
     */
    OutcomeEnum: "pending" | "ordered" | "no_order" | "refused" | "waiting" | "stale" | "halted" | "killed" | "error";
    PaginatedAggregateList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["Aggregate"][];
    };
    PaginatedAuditEventList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["AuditEvent"][];
    };
    PaginatedBacktestRunList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["BacktestRun"][];
    };
    PaginatedBotFillList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["BotFill"][];
    };
    PaginatedBotList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["Bot"][];
    };
    PaginatedDeliveryList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["Delivery"][];
    };
    PaginatedExchangeAccountList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["ExchangeAccount"][];
    };
    PaginatedExchangeList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["Exchange"][];
    };
    PaginatedMarketList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["Market"][];
    };
    PaginatedModelVersionListList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["ModelVersionList"][];
    };
    PaginatedNewsItemList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["NewsItem"][];
    };
    PaginatedNotificationChannelList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["NotificationChannel"][];
    };
    PaginatedNotificationList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["Notification"][];
    };
    PaginatedOrderList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["Order"][];
    };
    PaginatedPostList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["Post"][];
    };
    PaginatedSignalList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["Signal"][];
    };
    PaginatedSignInList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["SignIn"][];
    };
    PaginatedTickList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["Tick"][];
    };
    PaginatedTradeList: {
      /** @example 123 */
      count: number;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=400&limit=100
       */
      next?: string | null;
      /**
       * Format: uri
       * @example http://api.example.org/accounts/?offset=200&limit=100
       */
      previous?: string | null;
      results: components["schemas"]["Trade"][];
    };
    PaperAccount: {
      /** @description asset -> amount */
      balances: {
        [key: string]: string;
      };
      /** @description ISO 8601, UTC */
      created_at: string;
      exchange: string;
      id: number;
      label: string;
      quote_currency: string;
    };
    PasswordChangeRequest: {
      new_password: string;
      old_password: string;
    };
    PasswordResetConfirmRequest: {
      new_password: string;
      token: string;
      uid: string;
    };
    PasswordResetRequest: {
      /** Format: email */
      email: string;
    };
    PatchedBotUpdateRequest: {
      /** Format: double */
      buy_threshold?: number;
      /** Format: double */
      fee_rate?: number;
      name?: string;
      risk_profile?: components["schemas"]["RiskProfileRequest"];
      rule_params?: {
        [key: string]: unknown;
      };
      /** Format: double */
      sell_threshold?: number;
      /** Format: double */
      slippage_bps?: number;
    };
    /** @description Blank or missing credential fields keep the stored values. */
    PatchedExchangeAccountUpdateRequest: {
      api_key?: string;
      label?: string;
      passphrase?: string;
      secret?: string;
    };
    PatchedNotificationChannelUpdateRequest: {
      /** Format: email */
      email?: string;
      enabled?: boolean;
      events?: components["schemas"]["EventsEnum"][];
      label?: string;
      max_per_hour?: number;
      /** @description false resumes a paused channel. */
      paused?: boolean;
      url?: string;
    };
    PatchedPreferenceRequest: {
      /** Format: time */
      quiet_end?: string | null;
      /** Format: time */
      quiet_start?: string | null;
      timezone?: string;
    };
    Permissions: {
      can_trade: boolean;
      can_transfer: boolean;
      can_withdraw: boolean;
      /** Format: date-time */
      checked_at: string | null;
      ip_restricted: boolean | null;
      known: boolean;
    };
    Position: {
      /** @description Decimal, base currency */
      amount: string;
      /** @description Decimal */
      average_entry: string | null;
      bot: number;
      /** @description Decimal, quote currency */
      cash: string;
      id: number;
      /** @description Decimal */
      last_price: string | null;
      /** @description Decimal, quote currency */
      realised_pnl: string;
      /** @description Decimal, quote currency */
      unrealised_pnl: string;
      /** @description ISO 8601, UTC */
      updated_at: string;
    };
    Post: {
      /** @description Assets whose query found it. */
      assets: unknown;
      author: string;
      /** Format: date-time */
      available_at: string;
      /** Format: date-time */
      created_at: string;
      external_id: string;
      id: number;
      /** Format: date-time */
      ingested_at: string;
      is_demo: boolean;
      language: string;
      public_metrics: unknown;
      /** @description The search that found it. */
      query: string;
      score: components["schemas"]["Score"] | null;
      source_name: string;
      text: string;
    };
    Preference: {
      event_kinds: readonly components["schemas"]["EventKind"][];
      /** Format: time */
      quiet_end?: string | null;
      /** Format: time */
      quiet_start?: string | null;
      timezone?: string;
    };
    /** @description The champion contest; empty when the model was not entered in one. */
    Promotion: {
      /** Format: double */
      candidate_skill?: number;
      /** @description the champion's id, null when there was none */
      champion?: number | null;
      champion_error?: string;
      /** Format: double */
      champion_skill?: number;
      reasons?: string[];
      rows?: number;
      /** Format: date-time */
      window_end?: string;
      /** Format: date-time */
      window_start?: string;
      /**
       * @description none: the candidate failed the skill checks and did not enter the contest
       *
       * * `candidate` - candidate
       * * `champion` - champion
       * * `none` - none
       */
      winner?: components["schemas"]["WinnerEnum"];
    };
    Ready: {
      checks: {
        [key: string]: components["schemas"]["HealthCheck"];
      };
      status: components["schemas"]["ReadyStatusEnum"];
    };
    /**
     * @description * `ready` - ready
     * * `not_ready` - not_ready
     * @enum {string}
     */
    ReadyStatusEnum: "ready" | "not_ready";
    RegisterRequest: {
      /** Format: email */
      email: string;
      password: string;
      username: string;
    };
    Reliability: {
      BUY: components["schemas"]["ReliabilityPoint"][];
      HOLD: components["schemas"]["ReliabilityPoint"][];
      SELL: components["schemas"]["ReliabilityPoint"][];
    };
    ReliabilityPoint: {
      bin: number;
      /**
       * Format: double
       * @description share of rows of the class in the bin
       */
      observed: number;
      /**
       * Format: double
       * @description mean predicted probability in the bin
       */
      predicted: number;
      rows: number;
    };
    Replay: {
      /** Format: double */
      backtest_final_equity: number;
      backtest_trades: number;
      candles: number;
      engine_only_rules: string[];
      /** @description [[epoch ms, equity], ...], at most ~2000 */
      equity_curve: unknown[][];
      /** Format: double */
      final_equity_relative_difference: number;
      /** Format: double */
      replay_final_equity: number;
      replay_trades: number;
      same_trade_times: boolean;
      /** @description the replay's */
      trades: {
          [key: string]: unknown;
        }[];
    };
    ReplayRequestRequest: {
      /** Format: date-time */
      end: string;
      /** Format: date-time */
      start: string;
    };
    RiskProfile: {
      /**
       * Format: double
       * @description ATRs to the sizing stop
       */
      atr_multiple?: number;
      /** @description candles of the ATR */
      atr_window?: number;
      /** @description no new exposure this long after a losing trade */
      cooldown_seconds?: number | null;
      /**
       * Format: double
       * @description halts the bot at this loss since the UTC day began
       */
      daily_loss_limit?: number | null;
      /**
       * Format: double
       * @description halts the bot at this fall from its equity peak
       */
      max_drawdown?: number | null;
      /** @description positions open at once across your bots */
      max_open_positions?: number | null;
      max_orders_per_hour?: number | null;
      /**
       * Format: double
       * @description largest share of equity in the position, (0, 1]
       */
      max_position?: number;
      /**
       * Format: double
       * @description ignore model signals less sure than this
       */
      min_confidence?: number | null;
      /**
       * Format: double
       * @description share of equity risked per trade at the ATR stop
       */
      risk_per_trade?: number | null;
      /**
       * Format: double
       * @description below the entry price, (0, 1)
       */
      stop_loss?: number | null;
      /**
       * Format: double
       * @description above the entry price, (0, 1)
       */
      take_profit?: number | null;
      /**
       * Format: double
       * @description below the highest price since entry, (0, 1)
       */
      trailing_stop?: number | null;
    };
    RiskProfileRequest: {
      /**
       * Format: double
       * @description ATRs to the sizing stop
       */
      atr_multiple?: number;
      /** @description candles of the ATR */
      atr_window?: number;
      /** @description no new exposure this long after a losing trade */
      cooldown_seconds?: number | null;
      /**
       * Format: double
       * @description halts the bot at this loss since the UTC day began
       */
      daily_loss_limit?: number | null;
      /**
       * Format: double
       * @description halts the bot at this fall from its equity peak
       */
      max_drawdown?: number | null;
      /** @description positions open at once across your bots */
      max_open_positions?: number | null;
      max_orders_per_hour?: number | null;
      /**
       * Format: double
       * @description largest share of equity in the position, (0, 1]
       */
      max_position?: number;
      /**
       * Format: double
       * @description ignore model signals less sure than this
       */
      min_confidence?: number | null;
      /**
       * Format: double
       * @description share of equity risked per trade at the ATR stop
       */
      risk_per_trade?: number | null;
      /**
       * Format: double
       * @description below the entry price, (0, 1)
       */
      stop_loss?: number | null;
      /**
       * Format: double
       * @description above the entry price, (0, 1)
       */
      take_profit?: number | null;
      /**
       * Format: double
       * @description below the highest price since entry, (0, 1)
       */
      trailing_stop?: number | null;
    };
    /**
     * @description * `user` - user
     * * `global` - global
     * @enum {string}
     */
    ScopeEnum: "user" | "global";
    Score: {
      /** Format: double */
      compound: number;
      /** Format: double */
      negative: number;
      /** Format: double */
      neutral: number;
      /** Format: double */
      positive: number;
      scorer_version: string;
      /**
       * Format: double
       * @description CryptoPanic readers' votes in [-1, 1], news only.
       */
      votes_score: number | null;
    };
    Search: {
      /** Format: double */
      pbo: number | null;
      /** Format: double */
      sharpe_variance: number;
      study: string;
      trials: number;
    };
    /**
     * @description * `buy` - buy
     * * `sell` - sell
     * @enum {string}
     */
    SideEnum: "buy" | "sell";
    Signal: {
      action: components["schemas"]["SignalActionEnum"];
      /** Format: double */
      confidence: number;
      /** Format: date-time */
      created_at: string;
      exchange: string;
      explanation: components["schemas"]["Explanation"];
      id: number;
      is_demo: boolean;
      model_version: number;
      /**
       * Format: date-time
       * @description Open time of the closed candle it is for.
       */
      open_time: string;
      probabilities: components["schemas"]["ClassValues"];
      symbol: string;
      timeframe: string;
    };
    /**
     * @description * `BUY` - Buy
     * * `SELL` - Sell
     * * `HOLD` - Hold
     * @enum {string}
     */
    SignalActionEnum: "BUY" | "SELL" | "HOLD";
    SignIn: {
      /** Format: date-time */
      created_at: string;
      /** @description The sign-in this request came with. */
      current: boolean;
      id: number;
      ip_address: string | null;
      kind: components["schemas"]["SignInKindEnum"];
      /** Format: date-time */
      last_used_at: string;
      last_used_ip: string | null;
      /** @description A token's last 4 characters. */
      token_hint: string | null;
      user_agent: string;
    };
    /**
     * @description * `session` - Browser session
     * * `token` - API token
     * @enum {string}
     */
    SignInKindEnum: "session" | "token";
    SignOutEverywhere: {
      revoked: number;
    };
    /**
     * @description * `all_in` - all_in
     * * `fixed_fraction` - fixed_fraction
     * * `volatility_target` - volatility_target
     * * `atr` - atr
     * @enum {string}
     */
    SizingMethodEnum: "all_in" | "fixed_fraction" | "volatility_target" | "atr";
    SizingRequest: {
      /** Format: double */
      atr_multiple?: number;
      /** Format: double */
      fraction?: number;
      /** Format: double */
      max_position?: number;
      /** @default all_in */
      method?: components["schemas"]["SizingMethodEnum"];
      /** Format: double */
      risk_per_trade?: number;
      /** Format: double */
      target_volatility?: number;
      window?: number;
    };
    /**
     * @description * `running` - running
     * * `paused` - paused
     * * `stopped` - stopped
     * * `halted` - halted
     * @enum {string}
     */
    StateEnum: "running" | "paused" | "stopped" | "halted";
    StopsRequest: {
      /** Format: double */
      stop_loss?: number | null;
      /** Format: double */
      take_profit?: number | null;
      /** Format: double */
      trailing_stop?: number | null;
    };
    /**
     * @description * `rule` - rule
     * * `model` - model
     * * `champion` - champion
     * @enum {string}
     */
    StrategyEnum: "rule" | "model" | "champion";
    Thresholds: {
      /** Format: double */
      buy: number;
      /** Format: double */
      sell: number;
    };
    Tick: {
      bot: number;
      /** @description open time of the candle, ISO 8601 UTC */
      candle_time: string;
      checks: components["schemas"]["Check"][];
      created_at: string;
      /** Format: double */
      equity: number | null;
      /** @description a stop's sale */
      exit_order: number | null;
      id: number;
      order: number | null;
      outcome: components["schemas"]["OutcomeEnum"];
      /** @description why no order, or the error */
      reason: string;
      /** @description the model signal's id */
      signal: number | null;
      /** Format: double */
      signal_target: number | null;
      /**
       * Format: double
       * @description exposure wanted, 0 to 1
       */
      target: number | null;
    };
    TokenResponse: {
      token: string;
    };
    Trade: {
      /** @description Decimal, as a string */
      amount: string;
      /** @description the bot whose order it filled */
      bot: number | null;
      exchange: string;
      /** @description ISO 8601, UTC */
      executed_at: string;
      /** @description Decimal, as a string */
      fee: string;
      fee_currency: string | null;
      id: number;
      is_maker: boolean | null;
      order: number;
      /** @description Decimal, as a string */
      price: string;
      /** @description Decimal, quote currency: what a bot's sale realised (its proceeds less the share of the position's cost, buy fees included, it sold); null for a buy or a fill of no bot */
      realised_pnl: string | null;
      side: components["schemas"]["SideEnum"];
      symbol: string;
      trade_id: string;
    };
    /**
     * @description * `paper` - paper
     * * `testnet` - testnet
     * * `live` - live
     * @enum {string}
     */
    TradingModeEnum: "paper" | "testnet" | "live";
    TuneAccepted: {
      exchange: string;
      folds: number;
      horizon: number;
      pooled_with: string[];
      queue: string;
      study: string;
      symbol: string;
      timeframe: string;
      trials: number;
    };
    /** @description Start a walk-forward hyperparameter search of one market and timeframe. */
    TuneRequestRequest: {
      exchange: string;
      /** @default 5 */
      folds?: number;
      /** @default 4 */
      horizon?: number;
      /** @description Other symbols of the exchange: one model is searched over all the markets. */
      pooled_with?: string[];
      symbol: string;
      timeframe: string;
      /** @default 50 */
      trials?: number;
    };
    /**
     * @description * `market` - market
     * * `limit` - limit
     * @enum {string}
     */
    TypeEnum: "market" | "limit";
    UnreadCount: {
      unread: number;
    };
    User: {
      /**
       * Email address
       * Format: email
       */
      email: string;
      id: number;
      /**
       * Staff status
       * @description Designates whether the user can log into this admin site.
       */
      is_staff: boolean;
      /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. */
      username: string;
    };
    /**
     * @description * `candidate` - candidate
     * * `champion` - champion
     * * `none` - none
     * @enum {string}
     */
    WinnerEnum: "candidate" | "champion" | "none";
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}

export type $defs = Record<string, never>;

export type external = Record<string, never>;

export interface operations {

  /** @description The user's own security activity: sign-ins, failures, lockouts, keys, live trading. */
  audit_events_list: {
    parameters: {
      query?: {
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedAuditEventList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Set the CSRF cookie for a client that has none yet. */
  auth_csrf_retrieve: {
    responses: {
      /** @description No response body */
      204: {
        content: never;
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Start a browser session (CSRF-protected); answers with the user. */
  auth_login_create: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["CredentialsRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["CredentialsRequest"];
        "multipart/form-data": components["schemas"]["CredentialsRequest"];
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["User"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Revoke every session and token of the user, this one included. */
  auth_logout_everywhere_create: {
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["SignOutEverywhere"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Sign out: revoke the token the request came with, or end the browser session. */
  auth_logout_create: {
    responses: {
      /** @description No response body */
      204: {
        content: never;
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The signed-in user. */
  auth_me_retrieve: {
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["User"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Change the signed-in user's password (the old one is required); revokes API tokens. */
  auth_password_change_create: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["PasswordChangeRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["PasswordChangeRequest"];
        "multipart/form-data": components["schemas"]["PasswordChangeRequest"];
      };
    };
    responses: {
      /** @description No response body */
      204: {
        content: never;
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description E-mail a reset link. Always answers 202, whether or not the address is known. */
  auth_password_reset_create: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["PasswordResetRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["PasswordResetRequest"];
        "multipart/form-data": components["schemas"]["PasswordResetRequest"];
      };
    };
    responses: {
      /** @description No response body */
      202: {
        content: never;
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Set a new password from the e-mailed link's uid and token. */
  auth_password_reset_confirm_create: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["PasswordResetConfirmRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["PasswordResetConfirmRequest"];
        "multipart/form-data": components["schemas"]["PasswordResetConfirmRequest"];
      };
    };
    responses: {
      /** @description No response body */
      204: {
        content: never;
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Create an ordinary account, when the server allows self-registration (QT_ALLOW_SIGNUP). */
  auth_register_create: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["RegisterRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["RegisterRequest"];
        "multipart/form-data": components["schemas"]["RegisterRequest"];
      };
    };
    responses: {
      201: {
        content: {
          "application/json": components["schemas"]["User"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The signed-in user's browser sessions and API tokens, most recently used first. */
  auth_sessions_list: {
    parameters: {
      query?: {
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedSignInList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Revoke one of the user's sessions or tokens (another user's is 404). */
  auth_sessions_destroy: {
    parameters: {
      path: {
        id: string;
      };
    };
    responses: {
      /** @description No response body */
      204: {
        content: never;
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Exchange a username and password for an API token (for scripts). */
  auth_token_create: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["CredentialsRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["CredentialsRequest"];
        "multipart/form-data": components["schemas"]["CredentialsRequest"];
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["TokenResponse"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description List the user's backtest runs (paginated) or start a new one. */
  backtests_list: {
    parameters: {
      query?: {
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedBacktestRunList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description List the user's backtest runs (paginated) or start a new one. */
  backtests_create: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["BacktestConfigRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["BacktestConfigRequest"];
        "multipart/form-data": components["schemas"]["BacktestConfigRequest"];
      };
    };
    responses: {
      201: {
        content: {
          "application/json": components["schemas"]["BacktestRun"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description One backtest run with its metrics, equity curve and trades; or delete it. */
  backtests_retrieve: {
    parameters: {
      path: {
        run_id: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["BacktestRunDetail"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description One backtest run with its metrics, equity curve and trades; or delete it. */
  backtests_destroy: {
    parameters: {
      path: {
        run_id: number;
      };
    };
    responses: {
      /** @description No response body */
      204: {
        content: never;
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Metrics side by side and equity curves of up to 10 of the user's runs. */
  backtests_compare_retrieve: {
    parameters: {
      query: {
        /** @description comma-separated run ids, e.g. 1,2,3 */
        ids: string;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["BacktestCompare"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The user's bots, or create one (stopped, paper by default). */
  bots_list: {
    parameters: {
      query?: {
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
        state?: "halted" | "paused" | "running" | "stopped";
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedBotList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The user's bots, or create one (stopped, paper by default). */
  bots_create: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["BotCreateRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["BotCreateRequest"];
        "multipart/form-data": components["schemas"]["BotCreateRequest"];
      };
    };
    responses: {
      201: {
        content: {
          "application/json": components["schemas"]["Bot"];
        };
      };
      /** @description an error in the documented shape; see its code */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description One of the user's bots: read, change (partially) or delete. */
  bots_retrieve: {
    parameters: {
      path: {
        bot_id: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["Bot"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description an error in the documented shape; see its code */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description One of the user's bots: read, change (partially) or delete. */
  bots_destroy: {
    parameters: {
      path: {
        bot_id: number;
      };
    };
    responses: {
      /** @description No response body */
      204: {
        content: never;
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description an error in the documented shape; see its code */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description an error in the documented shape; see its code */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description One of the user's bots: read, change (partially) or delete. */
  bots_partial_update: {
    parameters: {
      path: {
        bot_id: number;
      };
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["PatchedBotUpdateRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["PatchedBotUpdateRequest"];
        "multipart/form-data": components["schemas"]["PatchedBotUpdateRequest"];
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["Bot"];
        };
      };
      /** @description bad input (the field is named) */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description no such bot of yours */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The hook's settings; a bot without one shows a disabled hook with no secret. */
  bots_alert_hook_retrieve: {
    parameters: {
      path: {
        bot_id: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["AlertHook"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description an error in the documented shape; see its code */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description A bot's inbound alert hook: read, set up (PUT; the secret is shown once), remove. */
  bots_alert_hook_update: {
    parameters: {
      path: {
        bot_id: number;
      };
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["AlertHookUpdateRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["AlertHookUpdateRequest"];
        "multipart/form-data": components["schemas"]["AlertHookUpdateRequest"];
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["AlertHookCreated"];
        };
      };
      /** @description an error in the documented shape; see its code */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description an error in the documented shape; see its code */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description A bot's inbound alert hook: read, set up (PUT; the secret is shown once), remove. */
  bots_alert_hook_destroy: {
    parameters: {
      path: {
        bot_id: number;
      };
    };
    responses: {
      /** @description No response body */
      204: {
        content: never;
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description an error in the documented shape; see its code */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The last 100 alerts a bot's hook received, accepted or refused, with why. */
  bots_alerts_list: {
    parameters: {
      path: {
        bot_id: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["AlertReceipt"][];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description an error in the documented shape; see its code */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The bot's fills as booked into its position, newest first (paginated), with their P&L. */
  bots_fills_list: {
    parameters: {
      query?: {
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
        side?: "buy" | "sell";
      };
      path: {
        bot_id: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedBotFillList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description an error in the documented shape; see its code */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Halt the bot at once; optionally cancel its open orders and sell its position. */
  bots_kill_create: {
    parameters: {
      path: {
        bot_id: number;
      };
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["KillRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["KillRequest"];
        "multipart/form-data": components["schemas"]["KillRequest"];
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["Bot"];
        };
      };
      /** @description bad input (the field is named) */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description no such bot of yours */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Opt the bot into live trading with a typed confirmation (audited). */
  bots_live_opt_in_create: {
    parameters: {
      path: {
        bot_id: number;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["LiveOptInRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["LiveOptInRequest"];
        "multipart/form-data": components["schemas"]["LiveOptInRequest"];
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["Bot"];
        };
      };
      /** @description bad input (the field is named) */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description live trading refused */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description no such bot of yours */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description not possible in the bot's state */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Pause the bot (its position stays). */
  bots_pause_create: {
    parameters: {
      path: {
        bot_id: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["Bot"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description an error in the documented shape; see its code */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Replay the bot over stored candles through the live engine, beside the backtester. */
  bots_replay_create: {
    parameters: {
      path: {
        bot_id: number;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ReplayRequestRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["ReplayRequestRequest"];
        "multipart/form-data": components["schemas"]["ReplayRequestRequest"];
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["Replay"];
        };
      };
      /** @description bad input (the field is named) */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description no such bot of yours */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Start or resume the bot (a halted one starts afresh); it decides on the next candle. */
  bots_start_create: {
    parameters: {
      path: {
        bot_id: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["Bot"];
        };
      };
      /** @description bad input (the field is named) */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description live trading refused */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description no such bot of yours */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description not possible in the bot's state */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Stop the bot (its position stays). */
  bots_stop_create: {
    parameters: {
      path: {
        bot_id: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["Bot"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description an error in the documented shape; see its code */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The bot's decisions, newest first (paginated), each with its risk checks. */
  bots_ticks_list: {
    parameters: {
      query?: {
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
        outcome?: "error" | "halted" | "killed" | "no_order" | "ordered" | "pending" | "refused" | "stale" | "waiting";
      };
      path: {
        bot_id: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedTickList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description an error in the documented shape; see its code */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Stored closed candles of one market and timeframe, as compact arrays. */
  candles_retrieve: {
    parameters: {
      query: {
        /** @description exclusive open time: ISO 8601 or epoch ms */
        end?: string;
        /** @description ccxt id, e.g. `binance`; default DEFAULT_EXCHANGE */
        exchange?: string;
        /** @description 1..10000, default 1000 */
        limit?: number;
        /** @description inclusive open time: ISO 8601 or epoch ms */
        start?: string;
        /** @description unified symbol `BTC/USDT` */
        symbol: string;
        timeframe: "15m" | "1d" | "1h" | "1m" | "4h" | "5m";
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["CandlePage"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The signed-in user's exchange accounts. Another user's account answers 404. */
  exchange_accounts_list: {
    parameters: {
      query?: {
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedExchangeAccountList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Check the key with the exchange, then store it encrypted. */
  exchange_accounts_create: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["ExchangeAccountCreateRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["ExchangeAccountCreateRequest"];
        "multipart/form-data": components["schemas"]["ExchangeAccountCreateRequest"];
      };
    };
    responses: {
      201: {
        content: {
          "application/json": components["schemas"]["ExchangeAccount"];
        };
      };
      /** @description Field errors: malformed key, unknown exchange, key refused by the exchange or allowed to withdraw or transfer, live mode without IP restriction. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The stored credentials cannot be decrypted. */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The exchange could not be reached; nothing was stored. */
      503: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The signed-in user's exchange accounts. Another user's account answers 404. */
  exchange_accounts_retrieve: {
    parameters: {
      path: {
        /** @description A unique integer value identifying this exchange account. */
        id: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["ExchangeAccount"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Rename, or replace credentials (checked with the exchange first). */
  exchange_accounts_update: {
    parameters: {
      path: {
        /** @description A unique integer value identifying this exchange account. */
        id: number;
      };
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["ExchangeAccountUpdateRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["ExchangeAccountUpdateRequest"];
        "multipart/form-data": components["schemas"]["ExchangeAccountUpdateRequest"];
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["ExchangeAccount"];
        };
      };
      /** @description Field errors: malformed key, unknown exchange, key refused by the exchange or allowed to withdraw or transfer, live mode without IP restriction. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The stored credentials cannot be decrypted. */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The exchange could not be reached; nothing was stored. */
      503: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Delete the account and its encrypted key. */
  exchange_accounts_destroy: {
    parameters: {
      path: {
        /** @description A unique integer value identifying this exchange account. */
        id: number;
      };
    };
    responses: {
      /** @description No response body */
      204: {
        content: never;
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Same as update: every field is optional. */
  exchange_accounts_partial_update: {
    parameters: {
      path: {
        /** @description A unique integer value identifying this exchange account. */
        id: number;
      };
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["PatchedExchangeAccountUpdateRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["PatchedExchangeAccountUpdateRequest"];
        "multipart/form-data": components["schemas"]["PatchedExchangeAccountUpdateRequest"];
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["ExchangeAccount"];
        };
      };
      /** @description Field errors: malformed key, unknown exchange, key refused by the exchange or allowed to withdraw or transfer, live mode without IP restriction. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The stored credentials cannot be decrypted. */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The exchange could not be reached; nothing was stored. */
      503: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Ask the exchange what the key may do, and report exactly what failed if anything. */
  exchange_accounts_test_create: {
    parameters: {
      path: {
        /** @description A unique integer value identifying this exchange account. */
        id: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["ConnectionReport"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The exchanges the platform knows, with how many markets each has. */
  exchanges_list: {
    parameters: {
      query?: {
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedExchangeList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Fills of the user's orders, newest first (paginated), with a bot sale's realised P&L. */
  fills_list: {
    parameters: {
      query?: {
        bot?: number;
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
        order?: number;
        symbol?: string;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedTradeList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Report each dependency; 200 when all are fine, 503 otherwise. */
  health_retrieve: {
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["Health"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: {
        content: {
          "application/json": components["schemas"]["HealthDegraded"];
        };
      };
    };
  };
  /**
   * @description Receive one alert for a bot: `{"action", "symbol", "price", "id", "timestamp", "secret"}`.
   *
   * Answers 202 when accepted (the outcome says whether an order was placed), and the error
   * shape with the reason's code when refused: 403 wrong_secret or address_refused, 429
   * rate_limited, 409 replayed or the bot cannot act, 400 malformed, stale_timestamp,
   * missing_alert_id, bad_action or unknown_symbol. 404 when the bot has no enabled hook.
   */
  hooks_create: {
    parameters: {
      path: {
        bot_id: number;
      };
    };
    requestBody?: {
      content: {
        "application/json": {
          [key: string]: unknown;
        };
        "application/x-www-form-urlencoded": {
          [key: string]: unknown;
        };
        "multipart/form-data": {
          [key: string]: unknown;
        };
      };
    };
    responses: {
      202: {
        content: {
          "application/json": components["schemas"]["AlertAccepted"];
        };
      };
      /** @description an error in the documented shape; see its code */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description an error in the documented shape; see its code */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description an error in the documented shape; see its code */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description an error in the documented shape; see its code */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description an error in the documented shape; see its code */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Your kill switch and the global one; turn yours (or, staff only, the global) on/off. */
  kill_switches_list: {
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["KillSwitch"][];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Your kill switch and the global one; turn yours (or, staff only, the global) on/off. */
  kill_switches_create: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["KillSwitchSetRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["KillSwitchSetRequest"];
        "multipart/form-data": components["schemas"]["KillSwitchSetRequest"];
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["KillSwitch"];
        };
      };
      /** @description an error in the documented shape; see its code */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description global switch: staff only */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Markets with their timeframes, demo flag and newest stored candle. */
  markets_list: {
    parameters: {
      query?: {
        /** @description only markets ingested on schedule */
        enabled?: boolean;
        /** @description ccxt id, e.g. `binance` or `demo` */
        exchange?: string;
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedMarketList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description List model versions, newest first. */
  models_list: {
    parameters: {
      query?: {
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedModelVersionListList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description One model version with its fold table, metrics and feature importance. */
  models_retrieve: {
    parameters: {
      path: {
        id: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["ModelVersionDetail"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /**
   * @description Start a walk-forward hyperparameter search (Optuna) of one market and timeframe.
   *
   * It runs on the ml queue; `model_tuning` events on the user's stream report its progress
   * (trials done, best score) and its end (the registered model, champion or why not).
   */
  models_tune_create: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["TuneRequestRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["TuneRequestRequest"];
        "multipart/form-data": components["schemas"]["TuneRequestRequest"];
      };
    };
    responses: {
      202: {
        content: {
          "application/json": components["schemas"]["TuneAccepted"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Headlines with their scores, newest first; `start`/`end` filter on `available_at`. */
  news_list: {
    parameters: {
      query?: {
        /** @description Asset code, e.g. BTC. */
        asset?: string;
        /** @description ISO 8601, exclusive. */
        end?: string;
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
        /** @description ISO 8601, inclusive. */
        start?: string;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedNewsItemList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The signed-in user's notification channels. Another user's channel answers 404. */
  notification_channels_list: {
    parameters: {
      query?: {
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedNotificationChannelList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Add a channel; a webhook's signing secret is in this answer only. */
  notification_channels_create: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["NotificationChannelCreateRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["NotificationChannelCreateRequest"];
        "multipart/form-data": components["schemas"]["NotificationChannelCreateRequest"];
      };
    };
    responses: {
      201: {
        content: {
          "application/json": components["schemas"]["NotificationChannelCreated"];
        };
      };
      /** @description Field errors (the body's `fields` names them). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The signed-in user's notification channels. Another user's channel answers 404. */
  notification_channels_retrieve: {
    parameters: {
      path: {
        /** @description A unique integer value identifying this notification channel. */
        id: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["NotificationChannel"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Remove the channel and its delivery log. */
  notification_channels_destroy: {
    parameters: {
      path: {
        /** @description A unique integer value identifying this notification channel. */
        id: number;
      };
    };
    responses: {
      /** @description No response body */
      204: {
        content: never;
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Change a channel; `paused: false` resumes one that was paused after failures. */
  notification_channels_partial_update: {
    parameters: {
      path: {
        /** @description A unique integer value identifying this notification channel. */
        id: number;
      };
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["PatchedNotificationChannelUpdateRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["PatchedNotificationChannelUpdateRequest"];
        "multipart/form-data": components["schemas"]["PatchedNotificationChannelUpdateRequest"];
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["NotificationChannel"];
        };
      };
      /** @description Field errors (the body's `fields` names them). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The channel's last 50 deliveries, newest first, with the receivers' answers. */
  notification_channels_deliveries_list: {
    parameters: {
      query?: {
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
      };
      path: {
        /** @description A unique integer value identifying this notification channel. */
        id: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedDeliveryList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Queue a test message to the channel; its delivery shows in the channel's log. */
  notification_channels_test_create: {
    parameters: {
      path: {
        /** @description A unique integer value identifying this notification channel. */
        id: number;
      };
    };
    responses: {
      202: {
        content: {
          "application/json": components["schemas"]["Delivery"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Quiet hours (in the user's time zone) and the event kinds a channel can take. */
  notification_preferences_retrieve: {
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["Preference"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Quiet hours (in the user's time zone) and the event kinds a channel can take. */
  notification_preferences_partial_update: {
    requestBody?: {
      content: {
        "application/json": components["schemas"]["PatchedPreferenceRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["PatchedPreferenceRequest"];
        "multipart/form-data": components["schemas"]["PatchedPreferenceRequest"];
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["Preference"];
        };
      };
      /** @description Field errors (the body's `fields` names them). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The user's notifications of the last 30 days, newest first (`?unread=true` filters). */
  notifications_list: {
    parameters: {
      query?: {
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
        unread?: boolean;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedNotificationList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Mark some or all of the user's notifications read. */
  notifications_mark_read_create: {
    requestBody?: {
      content: {
        "application/json": components["schemas"]["MarkReadRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["MarkReadRequest"];
        "multipart/form-data": components["schemas"]["MarkReadRequest"];
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["Marked"];
        };
      };
      /** @description Field errors (the body's `fields` names them). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description How many of the user's notifications are unread (the header's badge). */
  notifications_unread_count_retrieve: {
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["UnreadCount"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The user's orders (filtered, paginated), or place a manual order. */
  orders_list: {
    parameters: {
      query?: {
        bot?: number;
        exchange_account?: number;
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
        /** @description not finished yet (or finished) */
        open?: boolean;
        paper_account?: number;
        side?: "buy" | "sell";
        status?: "canceled" | "expired" | "filled" | "new" | "open" | "partially_filled" | "rejected" | "submitting" | "unknown";
        /** @description e.g. BTC/USDT */
        symbol?: string;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedOrderList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The user's orders (filtered, paginated), or place a manual order. */
  orders_create: {
    parameters: {
      header?: {
        /** @description the same key and body within 24 h return the same order (200) */
        "Idempotency-Key"?: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["OrderCreateRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["OrderCreateRequest"];
        "multipart/form-data": components["schemas"]["OrderCreateRequest"];
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["Order"];
        };
      };
      201: {
        content: {
          "application/json": components["schemas"]["Order"];
        };
      };
      /** @description bad input (the field is named) */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description live trading is disabled */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Idempotency-Key reused with another body */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description One of the user's orders with its state history and fills. */
  orders_retrieve: {
    parameters: {
      path: {
        order_id: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["OrderDetail"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description no such order */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Cancel one of the user's orders: 200 when done, 202 while the exchange is asked. */
  orders_cancel_create: {
    parameters: {
      path: {
        order_id: number;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["Order"];
        };
      };
      202: {
        content: {
          "application/json": components["schemas"]["Order"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description no such order */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description the order cannot be canceled now */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The user's paper accounts; the demo exchange's one is created on first visit. */
  paper_accounts_list: {
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaperAccount"][];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description The positions of the user's bots (`open=true`: only those holding something). */
  positions_list: {
    parameters: {
      query?: {
        open?: boolean;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["Position"][];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Social posts with their scores, newest first; `start`/`end` filter on `available_at`. */
  posts_list: {
    parameters: {
      query?: {
        /** @description Asset code, e.g. BTC. */
        asset?: string;
        /** @description ISO 8601, exclusive. */
        end?: string;
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
        /** @description ISO 8601, inclusive. */
        start?: string;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedPostList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Readiness: 200 when this instance may take traffic, 503 naming each failed check. */
  ready_retrieve: {
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["Ready"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: {
        content: {
          "application/json": components["schemas"]["NotReady"];
        };
      };
    };
  };
  /** @description Closed sentiment buckets of an asset, oldest first; bounds apply to the bucket end. */
  sentiment_list: {
    parameters: {
      query: {
        /** @description Asset code, e.g. BTC. */
        asset: string;
        /** @description ISO 8601: buckets ending at or before this time. */
        end?: string;
        /**
         * @description * `5m` - 5m
         * * `15m` - 15m
         * * `1h` - 1h
         * * `4h` - 4h
         * * `1d` - 1d
         */
        interval?: "5m" | "15m" | "1h" | "4h" | "1d";
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
        /** @description ISO 8601: buckets ending after this time. */
        start?: string;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedAggregateList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /** @description Signals, newest candle first, filtered by market, timeframe, time, action and model. */
  signals_list: {
    parameters: {
      query?: {
        action?: "BUY" | "HOLD" | "SELL";
        /** @description open time < end */
        end?: string;
        /** @description ccxt id, e.g. binance */
        exchange?: string;
        /** @description Number of results to return per page. */
        limit?: number;
        /** @description model version id */
        model?: number;
        /** @description The initial index from which to return the results. */
        offset?: number;
        /** @description open time >= start */
        start?: string;
        /** @description unified symbol, e.g. BTC/USDT */
        symbol?: string;
        /** @description e.g. 1h */
        timeframe?: string;
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["PaginatedSignalList"];
        };
      };
      /** @description Bad input: `validation_error` with per-field messages, or a specific code. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not signed in (`not_authenticated`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Signed in but not allowed (`permission_denied`), or a missing CSRF token. */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such object, or it belongs to someone else (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many requests (`throttled`); see the Retry-After header. */
      429: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
}
