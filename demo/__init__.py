"""The Liverpool City Region demo: reference data plus invented schools, pupils and employers.

    from demo.loader import build_demo, reset_demo
    summary = build_demo(size="small", seed=2027)

Every postcode is a real one inside the region, drawn from the ONS directory; people, schools
and employers are made up.
"""
