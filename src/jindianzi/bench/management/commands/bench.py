import json

from django.core.management.base import BaseCommand, CommandError

BENCHMARKS = ("similarity",)


class Command(BaseCommand):
    help = "Run a benchmark on generated data (not a test): jindianzi bench similarity --n 100000 [--json]"

    def add_arguments(self, parser):
        parser.add_argument("benchmark", choices=BENCHMARKS)
        parser.add_argument("--n", type=int, default=100_000, help="how many ideas to generate")
        parser.add_argument("--seed", type=int, default=1, help="random seed of the generated ideas")
        parser.add_argument("--sample", type=int, default=500,
                            help="query ideas brute force is timed on (all ideas when at least n)")
        parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")

    def handle(self, *args, benchmark, n, seed, sample, json: bool, **options):
        if n < 2:
            raise CommandError("--n must be at least 2")
        if sample < 1:
            raise CommandError("--sample must be at least 1")
        from jindianzi.bench import similarity

        result = similarity.run(n=n, seed=seed, sample=sample, progress=self.stdout.write)
        figures = result.figures
        self.stdout.write(
            f"similarity at n={n:,}: ours {figures['ours']['cpu_seconds']:.1f} s, brute force "
            f"{figures['baseline']['cpu_seconds']:,.0f} s{' (estimated)' if figures['baseline']['estimated'] else ''} "
            f"of CPU time, speed-up {figures['ratio']}x, recall {figures['recall']:.3f}; planted near-duplicates "
            f"{figures['planted'].get('found_by_ours', 0)}/{figures['planted']['pairs']} found"
        )
        if json:
            self.stdout.write(_json_line(result.as_json()))


def _json_line(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
