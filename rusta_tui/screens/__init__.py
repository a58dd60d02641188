"""One screen per tab; each is a view of the app's Session and redraws in `refresh_view`."""
