"""Settings: `base` reads everything from the environment with defaults that run on a laptop;
`production` tightens security and refuses to start without real secrets; `test` is for pytest."""
