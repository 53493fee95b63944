"""Browser tests: the course as students see it, in JupyterLab driven by Chromium through Playwright."""
