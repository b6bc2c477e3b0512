"""Demo material that ships with losi.

`portals/<slug>/` holds three small synthetic municipal web portals as static files (Aurelia in
English, Villaverde in Spanish, Saint-Clair in French, the last a legacy windows-1252 site). `losi demo`
and the tests serve each one from the site root of its own port on 127.0.0.1, as listed in
`seeds/demo.csv`, so that a crawl, the detectors and scoring can run end to end without the internet.
"""
