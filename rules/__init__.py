"""What the plan requires: the rule catalogue as declarative YAML packs, validated on load."""
