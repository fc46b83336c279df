from .geometry import (grid_cell_centres, image_to_view, map_grid_points,
                       view_to_image)

__all__ = [
    'grid_cell_centres', 'image_to_view', 'map_grid_points', 'view_to_image'
]
