import json

from django.core.management.base import BaseCommand, CommandError

BENCHMARKS = ("similarity", "allocation")


class Command(BaseCommand):
    help = ("Run a benchmark on generated data (not a test): jindianzi bench similarity --n 100000 [--json], "
            "jindianzi bench allocation --voters 50000 --projects 100 [--json]")

    def add_arguments(self, parser):
        parser.add_argument("benchmark", choices=BENCHMARKS)
        parser.add_argument("--n", type=int, default=100_000, help="similarity: how many ideas to generate")
        parser.add_argument("--seed", type=int, default=1, help="random seed of the generated data")
        parser.add_argument("--sample", type=int, default=500,
                            help="similarity: query ideas brute force is timed on (all ideas when at least n)")
        parser.add_argument("--voters", type=int, default=50_000, help="allocation: voters in each generated vote")
        parser.add_argument("--projects", type=int, default=100,
                            help="allocation: projects in each generated vote (the few-projects one has at most 12)")
        parser.add_argument("--baseline-runs", type=int, default=6,
                            help="allocation: runs of equal shares pabutools makes per vote; the Add1 completion "
                                 "may need hundreds, and the time of the rest is estimated from these")
        parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")

    def handle(self, *args, benchmark, json: bool, **options):
        if benchmark == "allocation":
            result = self._allocation(**options)
        else:
            result = self._similarity(**options)
        if json:
            self.stdout.write(_json_line(result.as_json()))

    def _similarity(self, *, n, seed, sample, **options):
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
        return result

    def _allocation(self, *, voters, projects, seed, baseline_runs, **options):
        if voters < 1 or projects < 2:
            raise CommandError("--voters must be at least 1 and --projects at least 2")
        if baseline_runs < 3:
            raise CommandError("--baseline-runs must be at least 3 (the first run and the two where the loop stops)")
        from jindianzi.bench import allocation

        try:
            result = allocation.run(voters=voters, projects=projects, seed=seed, sample=baseline_runs,
                                    progress=self.stdout.write)
        except ImportError as error:
            raise CommandError(str(error)) from None
        figures = result.figures
        estimated = " (partly estimated)" if figures["baseline"]["estimated"] else ""
        self.stdout.write(
            f"allocation, {len(result.instances)} votes of up to {projects} projects and {voters:,} voters: "
            f"equal shares ours {figures['ours']['cpu_seconds']:.1f} s, pabutools "
            f"{figures['baseline']['cpu_seconds']:,.0f} s{estimated} of CPU time, speed-up {figures['ratio']}x; "
            f"greedy speed-up {figures['greedy_ratio']}x; "
            f"winners {'identical' if figures['identical'] else 'DIFFERENT'}"
        )
        return result


def _json_line(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
