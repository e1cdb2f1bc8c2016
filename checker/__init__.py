"""Facts against rules: obligations, the engine adapter, findings and the CLI."""
