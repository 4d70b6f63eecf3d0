"""Draw the device view (what Live shows in its device strip) from the patch's presentation rectangles.

    python -m ableton.render            # rewrite ableton/device_view.png
    python -m ableton.render --check    # exit 1 if the picture's layout differs from the patch

The PNG carries the layout it was drawn from (a ``jamcore-layout`` text chunk), so a test can tell
whether the picture in the producer's guide still matches the patch without comparing pixels.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PICTURE = HERE / "device_view.png"
MAXPAT = HERE.parent / "max_patches" / "jam_bridge.maxpat"
LAYOUT_KEY = "jamcore-layout"

BG, PANEL, TEXT, ACCENT, DIM = "#3a3a3a", "#2a2a2a", "#e6e6e6", "#ffb000", "#777777"


def layout(patch: dict[str, Any]) -> dict[str, Any]:
    """What the picture shows: the device size and each presented box (class, label, rectangle)."""
    p = patch["patcher"]
    items = []
    for b in p["boxes"]:
        box = b["box"]
        if not box.get("presentation"):
            continue
        v = box.get("saved_attribute_attributes", {}).get("valueof", {})
        items.append({
            "id": box["id"], "maxclass": box["maxclass"],
            "label": box.get("text") or v.get("parameter_shortname", ""),
            "rect": box["presentation_rect"],
            "enum": v.get("parameter_enum"), "range": [v.get("parameter_mmin"), v.get("parameter_mmax")],
            "initial": (v.get("parameter_initial") or [None])[0],
            "parameter": bool(box.get("parameter_enable")),
        })
    return {"size": p["openrect"][2:4], "items": items}


def draw(lay: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Arc, Circle, Rectangle

    w, h = lay["size"]
    scale = 2.0  # pixels per Max pixel in the picture
    fig = plt.figure(figsize=(w * scale / 100, h * scale / 100), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)  # Max's y grows downwards
    ax.axis("off")
    ax.add_patch(Rectangle((0, 0), w, h, color=BG))
    for it in lay["items"]:
        x, y, bw, bh = it["rect"]
        kind = it["maxclass"]
        if kind == "comment":
            size = 12 if it["label"] == "Jam Bridge" else 11 if bh > 20 else 8
            ax.text(x + 2, y + bh / 2, it["label"], color=TEXT, fontsize=size, va="center", ha="left",
                    weight="bold" if size > 9 else "normal")
        elif kind == "live.dial":
            r = min(bw, bh - 16) / 2
            cx, cy = x + bw / 2, y + 12 + r
            lo, hi = it["range"]
            frac = (it["initial"] - lo) / (hi - lo) if it["initial"] is not None else 0.0
            ax.add_patch(Arc((cx, cy), 2 * r, 2 * r, theta1=-45, theta2=225, color=DIM, lw=2.5))
            ax.add_patch(Arc((cx, cy), 2 * r, 2 * r, theta1=225 - 270 * frac, theta2=225, color=ACCENT, lw=2.5))
            ax.text(cx, y + 5, it["label"], color=TEXT, fontsize=7, ha="center", va="center")
            ax.text(cx, cy, f"{it['initial']:.2f}", color=TEXT, fontsize=6.5, ha="center", va="center")
        elif kind == "live.menu":
            ax.add_patch(Rectangle((x, y), bw, bh, facecolor=PANEL, edgecolor=DIM))
            shown = int(it["initial"]) if it["initial"] is not None else 0
            ax.text(x + 4, y + bh / 2, (it["enum"] or [""])[shown], color=TEXT, fontsize=8, va="center")
            ax.text(x + bw - 8, y + bh / 2, "\u25be", color=TEXT, fontsize=8, va="center", ha="center")
        elif kind == "live.tab":
            items = it["enum"] or [""]
            seg = bw / len(items)
            chosen = int(it["initial"]) if it["initial"] is not None else 0
            for i, name in enumerate(items):
                on = i == chosen
                ax.add_patch(Rectangle((x + i * seg, y), seg, bh, facecolor=ACCENT if on else PANEL, edgecolor=DIM))
                ax.text(x + (i + 0.5) * seg, y + bh / 2, name, color="#000000" if on else TEXT, fontsize=7,
                        ha="center", va="center")
        elif kind == "live.toggle":
            on = it["initial"] if it["initial"] is not None else 1
            color = "#39d353" if it["id"] and not it.get("parameter") else (ACCENT if on else PANEL)
            ax.add_patch(Rectangle((x, y), bw, bh, facecolor=color, edgecolor=DIM))
        elif kind == "live.button":
            ax.add_patch(Circle((x + bw / 2, y + bh / 2), bw / 2, facecolor=PANEL, edgecolor=ACCENT, lw=1.5))
        elif kind == "live.numbox":
            ax.add_patch(Rectangle((x, y), bw, bh, facecolor=PANEL, edgecolor=DIM))
            value = it["initial"] if it["initial"] is not None else it["range"][0]
            ax.text(x + bw / 2, y + bh / 2, f"{value:g}", color=ACCENT, fontsize=7.5, ha="center", va="center")
        else:
            ax.add_patch(Rectangle((x, y), bw, bh, facecolor=PANEL, edgecolor=DIM))
    fig.savefig(path, dpi=100, metadata={LAYOUT_KEY: json.dumps(lay, sort_keys=True)})
    plt.close(fig)


def picture_layout(path: Path = PICTURE) -> dict[str, Any] | None:
    """The layout a picture was drawn from (None if it carries none)."""
    from PIL import Image

    with Image.open(path) as im:
        text = im.info.get(LAYOUT_KEY)
    return json.loads(text) if text else None


def patch_layout() -> dict[str, Any]:
    return json.loads(json.dumps(layout(json.loads(MAXPAT.read_text(encoding="utf-8")))))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    want = patch_layout()
    if "--check" in argv:
        if not PICTURE.exists() or picture_layout() != want:
            print(f"out of date: {PICTURE.name} (run python -m ableton.render)")
            return 1
        return 0
    draw(want, PICTURE)
    print(f"wrote {PICTURE.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
