"""Widgets the screens are built from; each renders from the app's Session and owns no state."""
