"""The layout moved to engine/diagram/layout.py (the report drawings use it too); kept so
plugins importing it from here still work."""

from probis.engine.diagram.layout import Box, Layout, columns, label_boxes, layout, waypoints

__all__ = ["Box", "Layout", "columns", "label_boxes", "layout", "waypoints"]
