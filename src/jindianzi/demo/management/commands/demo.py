from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jindianzi.demo.accounts import demo_accounts
from jindianzi.demo.build import DEFAULT_SEED, demo_build, demo_is_built


class Command(BaseCommand):
    help = ("Build the demo district and editions when the database does not hold them yet, "
            "print the demo accounts, then serve the app as `serve` does.")

    def add_arguments(self, parser):
        parser.add_argument("--build-only", action="store_true", help="build the demo if missing, then exit")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed of the generated data")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="multiply the number of ideas (1.0 gives the article's 2,336), for benchmarks")

    def handle(self, *args, build_only, host, port, seed, scale, **options):
        if scale <= 0:
            raise CommandError(_("The scale must be more than 0."))
        call_command("migrate", interactive=False, verbosity=0)
        if demo_is_built():
            self.stdout.write(_("The demo is already in the database; it is not built again."))
        else:
            self.stdout.write(_("Building the demo district and editions…"))
            built = demo_build(seed=seed, scale=scale)
            counts = ", ".join(f"{slug}: {count}" for slug, count in built.ideas.items())
            self.stdout.write(_("Demo built in %(seconds).1f s (ideas: %(counts)s).")
                              % {"seconds": built.seconds, "counts": counts})
        self.stdout.write("")
        self.stdout.write(_("Demo accounts (sign in with the mobile number and the password):"))
        for account in demo_accounts():
            self.stdout.write(f"  {account.login}  {account.password}  {account.role}")
        self.stdout.write("")
        if build_only:
            return
        self.stdout.write(_("Open http://%(host)s:%(port)s/ in a browser.") % {"host": host, "port": port})
        call_command("serve", host=host, port=port)
