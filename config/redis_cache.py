"""Django's Redis cache backend, with one redis-py client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` for every command (it keeps only the pools). Building
one fills a table of some 170 response callbacks: measured here, about 0.8 ms of CPU each time, and an
API request makes three or four cache calls. The client is thread-safe and holds no connection of its
own (it borrows from the pool per command), so keeping one per pool changes nothing else.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
