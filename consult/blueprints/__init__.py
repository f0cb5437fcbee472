"""HTTP routes, one blueprint per audience. Views parse, call a service, commit once, respond."""
