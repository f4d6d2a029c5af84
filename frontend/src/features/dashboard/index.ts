/** The public entry of the dashboard feature. It exposes nothing yet: the router mounts its page. */
