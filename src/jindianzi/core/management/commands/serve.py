from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Apply pending migrations, then serve the app with a production WSGI server (waitress)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, threads, **options):
        call_command("migrate", interactive=False, verbosity=0)
        from waitress import serve

        from jindianzi.wsgi import application

        self.stdout.write(f"Jindianzi serving http://{host}:{port}/  (data: {settings.DATA_DIR})")
        serve(application, host=host, port=port, threads=threads, ident="jindianzi")
