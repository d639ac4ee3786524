from django.core.management.base import BaseCommand

from demo import incidents, people, sla

# Each process app adds its loader here, in dependency order.
LOADERS = [people, sla, incidents]


class Command(BaseCommand):
    help = "Load the demo data (users for each role, teams, services ...). Safe to run again."

    def handle(self, *args, **options):
        self.stdout.write("Loading demo data ...")
        for loader in LOADERS:
            loader.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
