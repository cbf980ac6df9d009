"""``gtmcompass serve``: the terminal app in a browser, one app process per tab.

``serve`` holds the web server (textual-serve and aiohttp, the optional ``[web]`` extra);
``session`` is the command each tab's process runs, confined to the profiles folder. Nothing
here is imported by the batch commands.
"""
