class ConfigError(ValueError):
    pass
def check(cfg):
    if "topic" not in cfg:
        raise ConfigError("missing topic")
check({})
