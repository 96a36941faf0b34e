"""Geography every app shares: regions, local authorities, sectors, postcodes, travel and fares."""
