"""Alt text and captions that a notebook computes: ``nnbook.plots.show(fig, alt, caption)``
puts them on the image.

MyST-NB takes an image's alt text and caption from the cell's metadata (``mystnb: image:
alt``, ``mystnb: figure: caption``), which is written by hand before the code runs. A
figure whose description quotes numbers (where a minimum lies, how many points) should take
them from the data it draws, so ``nnbook.plots.show`` displays the figure with
``{"image/png": {"alt": text, "caption": text}}`` in the output's metadata, and this
extension copies the alt text onto the image node and, given a caption, makes the image a
numbered figure with that caption. Cell metadata still works for fixed text.
"""
from docutils import nodes
from myst_nb.core.render import NbElementRenderer


def alt_from_output_metadata(render_image):
    def render(self, data):
        rendered = render_image(self, data)
        metadata = data.output_metadata.get(data.mime_type, {})
        if metadata.get("alt"):
            for node in rendered:
                node["alt"] = str(metadata["alt"])
        if metadata.get("caption") and len(rendered) == 1:
            caption = str(metadata["caption"])
            figure = nodes.figure("", rendered[0], nodes.caption(caption, caption))
            self.renderer.document.set_id(figure)
            rendered = [figure]
        return rendered

    render.wrapped = render_image
    return render


def setup(app):
    if not hasattr(NbElementRenderer.render_image, "wrapped"):
        NbElementRenderer.render_image = alt_from_output_metadata(NbElementRenderer.render_image)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
