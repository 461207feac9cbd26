from django.template import Context, Template
from django.utils.safestring import SafeString

from liaison.core.markdown import render_markdown


def test_render_markdown_renders_basic_markup():
    html = render_markdown("**bold** and _italic_\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html
    assert "<li>one</li>" in html
    assert isinstance(html, SafeString)


def test_render_markdown_escapes_raw_html():
    html = render_markdown('<script>alert("x")</script><b onclick="x()">hi</b>')
    assert "<script" not in html
    assert "<b" not in html
    assert "&lt;script&gt;" in html


def test_render_markdown_strips_javascript_links():
    html = render_markdown("[click](javascript:alert(1)) [img](JaVaScRiPt:alert(1))")
    assert "href" not in html
    assert "<a" not in html


def test_render_markdown_strips_javascript_image_sources():
    html = render_markdown("![pic](javascript:alert(1))")
    assert "<img" not in html
    assert "src=" not in html


def test_render_markdown_strips_data_urls():
    html = render_markdown("[x](data:text/html;base64,PHNjcmlwdD4=)")
    assert 'href="data:' not in html


def test_render_markdown_keeps_safe_links_with_rel():
    html = render_markdown('[docs](https://example.test/a "Title")')
    assert 'href="https://example.test/a"' in html
    assert 'title="Title"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_render_markdown_keeps_tables():
    html = render_markdown("| Item | Cost |\n|---|---:|\n| Design | 100 |")
    assert "<table>" in html
    assert "<th>Item</th>" in html
    assert "<td>Design</td>" in html
    assert "style=" not in html  # alignment styles are not an allowed attribute


def test_render_markdown_handles_empty_text():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_markdown_filter_renders_in_templates():
    template = Template("{% load liaison %}{{ text|markdown }}")
    html = template.render(Context({"text": "# Title\n\n<i>raw</i>"}))
    assert "<h1>Title</h1>" in html
    assert "<i>" not in html


def test_images_from_elsewhere_become_links():
    """An outside image would tell its host who reads the comment: a link instead."""
    html = render_markdown("![burn-down](https://tracker.example/p.png) ![](http://cdn.test/x.gif)")
    assert "<img" not in html
    assert (
        '<a href="https://tracker.example/p.png" rel="noopener noreferrer nofollow">burn-down</a>'
        in html
    )
    assert (
        '<a href="http://cdn.test/x.gif" rel="noopener noreferrer nofollow">http://cdn.test/x.gif</a>'
        in html
    )


def test_images_this_site_stores_show_inline():
    html = render_markdown("![plan](/p/WMS/attachments/3/)")
    assert '<img src="/p/WMS/attachments/3/" alt="plan">' in html


def test_listed_hosts_show_inline_over_https_only(settings):
    settings.MARKDOWN_IMAGE_HOSTS = ["images.acme.example"]
    html = render_markdown(
        "![a](https://images.acme.example/a.png) ![b](http://images.acme.example/b.png)"
    )
    assert '<img src="https://images.acme.example/a.png" alt="a">' in html
    assert '<a href="http://images.acme.example/b.png"' in html


def test_an_image_link_label_is_escaped():
    html = render_markdown("![<svg onload=alert(1)>](https://x.example/a.png)")
    assert "<svg" not in html
    assert "&lt;svg onload=alert(1)&gt;</a>" in html
