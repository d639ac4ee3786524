from django.core.management.base import BaseCommand

from demo import changes, incidents, people, problems, sla
from demo import requests as requests_demo

# Each process app adds its loader here, in dependency order.
LOADERS = [people, sla, incidents, problems, changes, requests_demo]


class Command(BaseCommand):
    help = "Load the demo data (users for each role, teams, services ...). Safe to run again."

    def handle(self, *args, **options):
        self.stdout.write("Loading demo data ...")
        for loader in LOADERS:
            loader.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
