"""What the facts are: pydantic models of a lianfang workspace and its loader."""
