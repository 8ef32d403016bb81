"""One module per algorithm; the provider imports every module here and registers its algorithm classes."""
