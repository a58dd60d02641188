"""Failing tests explained: what the test states, what happened instead, where it went wrong, and
what to look at next; and which tests failed last time, so they can be re-run alone.

Public API (import from the modules; this package imports nothing itself, so it stays cheap):
    engine.testexplain.story.explain_failure(result, sources) / explain_report(report)
    engine.testexplain.summary.run_view(report, stories) and exit_code(report)
    engine.testexplain.lastrun.recall(root) / remember(root, report, ran)
    engine.testexplain.types: TestStory, Callee, TestRunView, LastRun, FailedTest
"""
