"""The office's own forms (the plan's 附件3–5, 廉政风险识别防控一览表) and ledger workbooks.

``layout`` says how a form is laid out, ``export`` writes the forms from the workspace,
``importer`` reads filled forms back into risks.yaml, ``template`` writes the ledger entry
workbook, ``cli`` holds the commands.
"""
