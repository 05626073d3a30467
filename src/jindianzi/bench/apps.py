from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "jindianzi.bench"
    label = "bench"
    verbose_name = "Benchmarks"
