// placeholder for initial dependency build
