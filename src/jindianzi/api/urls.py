from ninja import NinjaAPI

api = NinjaAPI(title="Jindianzi API", version="1", urls_namespace="api")
