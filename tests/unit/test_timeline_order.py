from chalicelib.services.timeline import utc_timestamp


def test_timestamps_of_every_writer_sort_in_time_order():
    written = ["2026-11-25T00:14:06Z",                 # Step Functions, whole second
               "2026-11-25T00:14:06.167392+00:00",     # Python
               "2026-11-25T00:14:06.4Z",               # Step Functions, fraction
               "2026-11-25T08:14:07+08:00"]            # another offset
    normalised = [utc_timestamp(value) for value in written]
    assert normalised == sorted(normalised)
    assert normalised[0] == "2026-11-25T00:14:06.000000Z"
    assert normalised[3] == "2026-11-25T00:14:07.000000Z"
