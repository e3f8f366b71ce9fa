"""The organisation tree (đơn vị) and people's role grants in it."""
