"""The YRD atlas (moving into a package: see build.py)."""

from .build import (  # noqa: F401
    DEFAULT_SEED,
    REFERENCE_SOURCE,
    TOPICS,
    AtlasContext,
    AtlasResult,
    Topic,
    TopicMap,
    TopicResult,
    _check_topics,
    _inline_html,
    _load_plugins,
    _md_inline,
    _md_text,
    build_atlas,
    list_topics,
    topic,
)
