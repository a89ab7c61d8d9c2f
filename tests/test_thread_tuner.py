"""The prompt-thread choice follows measured cost per token."""

from claims.thread_tuner import ThreadTuner


def run(tuner, cost_per_token, evals, tokens=50):
    used = []
    for _ in range(evals):
        threads = tuner.next()
        used.append(threads)
        tuner.record(threads, tokens, cost_per_token[threads] * tokens)
    return used


def test_moves_to_one_thread_when_two_got_slower_and_back_when_quiet():
    tuner = ThreadTuner((2, 1), probe_every=8)
    quiet = {2: 0.014, 1: 0.022}
    busy = {2: 0.045, 1: 0.023}
    used = run(tuner, quiet, 40)
    assert used[1] == 1 and tuner.current == 2 and used[-8:].count(1) == 1  # one probe in 8
    used = run(tuner, busy, 40)
    assert tuner.current == 1 and used[-5:].count(1) >= 4
    run(tuner, quiet, 80)
    assert tuner.current == 2


def test_off_shape_evals_do_not_count():
    tuner = ThreadTuner((2, 1))
    tuner.record(2, 500, 500 * 0.001)  # a long prefix read is cheap per token
    tuner.record(1, 1, 0.5)  # a single token is dear
    assert tuner.cost == {} and tuner.current == 2


def test_a_single_choice_never_probes():
    tuner = ThreadTuner((1, 1), probe_every=2)
    assert set(run(tuner, {1: 0.02}, 10)) == {1}
