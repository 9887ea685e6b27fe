"""Alt text that a notebook computes: ``nnbook.plots.show(fig, alt)`` puts it on the image.

MyST-NB takes an image's alt text from the cell's metadata (``mystnb: image: alt``), which
is written by hand before the code runs. A figure whose description quotes numbers (where
a minimum lies, how many points) should take them from the data it draws, so
``nnbook.plots.show`` displays the figure with ``{"image/png": {"alt": text}}`` in the
output's metadata, and this extension copies that text onto the image node. Cell metadata
still works for figures whose alt text needs no numbers.
"""
from myst_nb.core.render import NbElementRenderer


def alt_from_output_metadata(render_image):
    def render(self, data):
        rendered = render_image(self, data)
        alt = data.output_metadata.get(data.mime_type, {}).get("alt")
        if alt:
            for node in rendered:
                node["alt"] = str(alt)
        return rendered

    render.wrapped = render_image
    return render


def setup(app):
    if not hasattr(NbElementRenderer.render_image, "wrapped"):
        NbElementRenderer.render_image = alt_from_output_metadata(NbElementRenderer.render_image)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
