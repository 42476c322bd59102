"""PyTorch side of `npm run bench`: the same models, data and measurements as bench/run.ts.

Models come from ../shared/anchors/torch_reference.py (the reference recipe in PyTorch), so the
comparison is against exactly the anchor's models (GRU = 2 x GRU(64), StackedGRU = 3 x GRU(64),
CNNGRU, CNNStackedGRU, MSCGRU = MSGRU, MSCSGRU = MSStackedGRU). The anchor has no LSTM: LSTM here is
its GRU model with nn.LSTM in place of nn.GRU, as signglove's LSTM is.
Data: the anchor's loader (pad with 1.0 to 87 steps, StandardScaler), stratified 60/20/20 split
with seed 1337: 866 training and 289 test episodes.

usage: python3 bench/torch_bench.py [--data DIR] [--anchor DIR] [--runs N] [--models GRU,MSStackedGRU]
       [--epoch-only]   (training epochs only: the other architectures' rows)
       python3 bench/torch_bench.py --mem-child MODEL ...   (internal: one epoch in a fresh process)
prints one JSON object: {"machine": ..., "results": [{name, values, unit}, ...]}
"""
import argparse, json, os, platform, resource, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# signglove name -> anchor name
NAMES = {'GRU': 'GRU', 'StackedGRU': 'StackedGRU', 'CNNGRU': 'CNNGRU', 'CNNStackedGRU': 'CNNStackedGRU',
         'MSGRU': 'MSCGRU', 'MSStackedGRU': 'MSCSGRU', 'LSTM': None}
BATCH = 32
WARMUP_BATCHES = 5  # the same warm-up as bench/run.ts gives signglove's batch throughput


def setup(args):
    sys.path.insert(0, args.anchor)
    import torch_reference as ref  # sets torch.set_num_threads(2)
    import numpy as np
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    X, y, _ = ref.load(args.data)
    sc = StandardScaler().fit(X.reshape(-1, 8)); X = sc.transform(X.reshape(-1, 8)).reshape(X.shape)
    Xt, Xte, yt, yte = train_test_split(X, y, test_size=0.2, random_state=1337, stratify=y)
    Xtr, _, ytr, _ = train_test_split(Xt, yt, test_size=0.25, random_state=1337, stratify=yt)
    return ref, np.asarray(Xtr, np.float32), ytr, np.asarray(Xte, np.float32), yte


def build(ref, name):
    """The anchor's model for a signglove architecture name (LSTM: the anchor's GRU with nn.LSTM)."""
    if NAMES[name] is not None:
        return ref.MODELS[NAMES[name]]()
    import torch.nn as nn
    m = ref.GRU(2)
    m.rnn = nn.LSTM(8, 64, num_layers=2, batch_first=True)
    return m


def epoch_fn(ref, torch, F, model, Xtr, ytr):
    opt = torch.optim.AdamW(model.parameters(), 1e-3, weight_decay=1e-3)

    def one_epoch():
        model.train(); perm = torch.randperm(len(Xtr))
        for i in range(0, len(Xtr), BATCH):
            idx = perm[i:i + BATCH]
            loss = F.cross_entropy(model(Xtr[idx]), ytr[idx]); opt.zero_grad(); loss.backward(); opt.step()
    return one_epoch


def timings(args, torch, F, ref, m, Xtr, ytr, Xte):
    """Epoch seconds, single-episode milliseconds and batch episodes/s, at the current thread count."""
    one_epoch = epoch_fn(ref, torch, F, m, Xtr, ytr)
    one_epoch()  # warm-up
    epochs = []
    for _ in range(args.runs):
        t = time.perf_counter(); one_epoch(); epochs.append(time.perf_counter() - t)
    if args.epoch_only:
        return epochs, None, None
    m.eval(); single, batch = [], []
    with torch.no_grad():
        x1 = Xte[:1]
        for _ in range(20): m(x1).softmax(1)
        for _ in range(args.runs):
            t = time.perf_counter()
            for _ in range(100): m(x1).softmax(1)
            single.append((time.perf_counter() - t) / 100 * 1000)
        for _ in range(WARMUP_BATCHES): m(Xte).softmax(1)
        for _ in range(args.runs):
            t = time.perf_counter(); m(Xte).softmax(1); batch.append(len(Xte) / (time.perf_counter() - t))
    return epochs, single, batch


def measure(args, name):
    import torch, torch.nn.functional as F
    ref, Xtr, ytr, Xte, yte = setup(args)  # the anchor sets 2 threads
    torch.manual_seed(1337)
    Xtr, Xte = torch.tensor(Xtr), torch.tensor(Xte); ytr = torch.tensor(ytr)
    m = build(ref, name)
    epochs, single, batch = timings(args, torch, F, ref, m, Xtr, ytr, Xte)
    # the same at one thread, for information: on a small VM that is often PyTorch's faster setting
    # (its two OpenMP threads wait on each other between the many small ops of these models)
    threads = torch.get_num_threads(); torch.set_num_threads(1)
    epochs1, single1, batch1 = timings(args, torch, F, ref, m, Xtr, ytr, Xte)
    torch.set_num_threads(threads)
    out = []
    for suffix, (e, s1, b) in (('', (epochs, single, batch)), (' (1 thread)', (epochs1, single1, batch1))):
        out.append(dict(name=f'train epoch {name}{suffix}', values=e, unit='s'))
        if not args.epoch_only:
            out += [
                dict(name=f'single-episode latency {name}{suffix}', values=s1, unit='ms'),
                dict(name=f'batch throughput {name}{suffix}', values=b, unit='episodes/s'),
            ]
    return out


def mem_child(args, name):
    """Peak resident memory of a fresh process that loads the data and trains one epoch."""
    import torch, torch.nn.functional as F
    ref, Xtr, ytr, _, _ = setup(args)
    torch.manual_seed(1337)
    m = build(ref, name)
    epoch_fn(ref, torch, F, m, torch.tensor(Xtr), torch.tensor(ytr))()
    print(json.dumps(dict(maxrss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))


def libraries():
    """What PyTorch computes with here (its BLAS, oneDNN, OpenMP), from the loaded shared libraries."""
    try:
        with open('/proc/self/maps') as f:
            paths = {line.split()[-1] for line in f if '/' in line}
    except OSError:
        return None  # no /proc (macOS, Windows)
    keys = ('blas', 'mkl', 'dnnl', 'omp', 'lapack')
    names = {os.path.basename(p) for p in paths}
    return sorted(n for n in names if n.startswith('lib') and 'cpython' not in n and any(k in n for k in keys))


def cpu_capability(torch):
    """The SIMD level PyTorch's own CPU kernels dispatch to (its build configuration's report)."""
    for line in torch.__config__.show().splitlines():
        if 'CPU capability usage' in line:
            return line.split(':', 1)[1].strip()
    return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--data', default=os.path.join(ROOT, '..', 'shared', 'datasets', 'signglove-2025-10-01'))
    p.add_argument('--anchor', default=os.path.join(ROOT, '..', 'shared', 'anchors'))
    p.add_argument('--runs', type=int, default=5)
    p.add_argument('--models', default='GRU,MSStackedGRU')
    p.add_argument('--epoch-only', action='store_true')
    p.add_argument('--mem-child')
    args = p.parse_args()
    if args.mem_child:
        return mem_child(args, args.mem_child)
    import torch
    results = []
    for name in args.models.split(','):
        results += measure(args, name)
        if args.epoch_only:
            continue
        mems = []
        for _ in range(max(1, min(args.runs, 3))):  # each in a fresh process: maxrss only grows
            out = subprocess.run([sys.executable, __file__, '--mem-child', name, '--data', args.data,
                                  '--anchor', args.anchor], capture_output=True, text=True, check=True).stdout
            mems.append(json.loads(out.strip().splitlines()[-1])['maxrss_mb'])
        results.append(dict(name=f'peak training memory {name}', values=mems, unit='MB'))
    print(json.dumps(dict(machine=dict(torch=torch.__version__, threads=torch.get_num_threads(),
                                       cpu=platform.processor() or platform.machine(), cores=os.cpu_count(),
                                       capability=cpu_capability(torch), mkl=torch.backends.mkl.is_available(),
                                       libraries=libraries()),
                          results=results)))


if __name__ == '__main__':
    main()
