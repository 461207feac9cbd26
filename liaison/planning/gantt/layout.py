"""Where things go on the Gantt chart: row and bar sizes, the header and the
milestone band, the canvas, and a lane per milestone so that names do not collide."""

from dataclasses import dataclass

from liaison.planning.gantt.axis import LABEL_W, TimeAxis

ROW_H = 24  # one task per row
BAR_Y, BAR_H = 5, 12  # the bar inside its row
BASE_Y, BASE_H = 19, 3  # the baseline's ghost bar, under the bar
TIER_H = 22  # each of the two header bands
HEADER_H = 2 * TIER_H
LANE_H = 22  # a band of milestones
INDENT = 14  # per WBS level
PAD_RIGHT = 24
GAP = 6  # how far an arrow leaves a bar before turning
MAX_LANES = 3


@dataclass(frozen=True, slots=True)
class Layout:
    axis: TimeAxis
    lanes: list[int]  # the lane of each milestone
    top: int  # where the first task row starts
    bottom: int  # where the last one ends

    @classmethod
    def of(cls, data, scale: str) -> "Layout":
        """The canvas for a `GanttData` in this scale."""
        axis = TimeAxis.of(scale, data.start, data.end)
        lanes = milestone_lanes(data.milestones, axis) if data.milestones else []
        band_h = (max(lanes) + 1) * LANE_H if lanes else 0
        top = HEADER_H + band_h
        return cls(axis, lanes, top, top + max(len(data.rows), 1) * ROW_H)

    @property
    def right(self) -> int:
        """The x where the chart's last day ends."""
        return LABEL_W + self.axis.width

    @property
    def width(self) -> int:
        return self.right + PAD_RIGHT

    @property
    def height(self) -> int:
        return self.bottom + 1


def milestone_lanes(milestones, axis: TimeAxis) -> list[int]:
    """A lane per milestone, so that names do not run over each other (at most 3)."""
    lanes_end: list[int] = []
    result = []
    for milestone in milestones:
        x = axis.x_of(milestone.due) + axis.ppd // 2
        width = 16 + 7 * (len(milestone.key) + len(milestone.name) + 1)
        for lane, end in enumerate(lanes_end):
            if x - 8 > end:
                lanes_end[lane] = x + width
                result.append(lane)
                break
        else:
            if len(lanes_end) < MAX_LANES:
                lanes_end.append(x + width)
                result.append(len(lanes_end) - 1)
            else:  # crowded: the lane that frees up first
                lane = min(range(MAX_LANES), key=lanes_end.__getitem__)
                lanes_end[lane] = max(lanes_end[lane], x + width)
                result.append(lane)
    return result
