import pytest
CASES = [
 ("UTC", "created_from=0001-01-01T00:00"),
 ("UTC", "created_to=9999-12-31T23:59"),
 ("America/New_York", "created_to=9999-12-31T23:59"),
 ("Europe/Madrid", "created_from=0001-01-01T00:00"),
 ("Europe/Madrid", "created_from=2025-03-30T02:30"),
 ("UTC", "product=&product=prod_ce529a7d6621cba0"),
 ("UTC", "names=" + "x"*5000),
 ("UTC", "phones=" + "1"*5000),
 ("UTC", "sort=name&sort=bogus"),
 ("UTC", "page=1&page=abc"),
 ("UTC", "q=%00"),
 ("UTC", "names=a%00b"),
 ("UTC", "ids=" + ",".join(f"id{i}" for i in range(250))),
 ("UTC", "names=" + "%0A".join("n"*90 + str(i) for i in range(200))),
 ("UTC", "phone=%2B34&q=%2B44"),
 ("UTC", "created_from=2025-01-01T00:00&created_to=2024-01-01T00:00"),
 ("UTC", "page=99999999999999999999999"),
 ("UTC", "per_page=50&per_page=100"),
 ("UTC", "q=%FF%FE"),
 ("UTC", "created_from=2025-13-01T00:00"),
]
@pytest.mark.parametrize("tz,qs", CASES)
def test_explore(signed_in, emulator, settings, tz, qs):
    settings.TIME_ZONE = tz
    emulator.clear_request_log()
    try:
        r = signed_in.get("/phone-connections/?" + qs)
    except Exception as e:
        print("EXC", tz, qs[:80], type(e), e)
        raise
    import re
    alert = re.search(r'role="alert">(.*?)</div>', r.content.decode(), re.S)
    print("\n", r.status_code, tz, qs[:80], (alert.group(1)[:600] if alert else None), [ (x['status'], x['query'][:150]) for x in emulator.requests_received() if x['path']=='/phoneConnections'])
    if r.status_code >= 500: print(r.content.decode()[:3000])
