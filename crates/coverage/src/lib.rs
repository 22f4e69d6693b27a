//! Who is reachable from which stop: places within the reach radius of each site
