"""Built-in survey definitions (YAML), read by ``consult.authoring.definitions``. No code."""
