def test_probe(live_server, page_factory):
    for lang in ("en", "ur"):
        page = page_factory(360, 740)
        page.goto(f"{live_server['url']}/s/nisp-consultation?lang={lang}")
        page.check('input[name="q_group"][value="media"]')
        page.screenshot(path=f"/tmp/top-{lang}-360.png")
        page = page_factory(1280, 800)
        page.goto(f"{live_server['url']}/s/nisp-consultation?lang={lang}#sec-coordination")
        page.check('input[name="q_coordination_agree"][value="2"]')
        page.screenshot(path=f"/tmp/scale-{lang}-1280.png")
        print(page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily"))
        print(page.evaluate("document.fonts.check('16px \"Consult Nastaliq\"', 'اردو')"))
