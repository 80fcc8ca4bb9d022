"""Commands registered by this module are added as the features land."""
