"""The check, one stage per module, in pipeline order; ``checker/run.py`` runs them.

1. ``workspace`` — open the workspace: lianfang.yaml, the rule pack, the files;
2. ``obligations`` — the calendar: from the catalogue to dated obligations;
3. ``evidence`` — records and gradings as evidence facts (counting before the engine);
4. ``match`` — the engine matches obligations and evidence;
5. ``status`` — each obligation's status and its finding;
6. ``register`` — the register checks over ``register_facts``;
7. ``escalation`` — T502: missed obligations that escalate and the actions they owe;
8. ``waivers`` — approved exceptions applied to the result.

A stage imports only earlier stages (and the shared modules of ``checker/``: findings,
messages, chain, engine, compile); none reaches back up the pipeline.
"""
