// Status page of the resilient-redis sample: polls the application and the actuator, and charts the
// server's last five minutes (GET /api/status/history, sampled once a second by the application, so the
// chart has data as soon as the page loads). Plain JavaScript, no build step.
(function () {
	'use strict';

	var POLL_MS = 1000;
	var history = [];          // the server's samples: { t, redisUp, breaker, latencyMs, hitRate }
	var span = 5 * 60 * 1000;  // what the history covers, from the server
	var clockOffset = 0;       // server time minus this browser's time
	var latencies = [];        // { t, ms } of this page's catalog requests
	var previous = {};         // last shown states, to log changes once
	var lastEventAt = 0;

	function $(id) { return document.getElementById(id); }

	// A field of a JSON object, under its snake_case name or its camelCase twin.
	function field(object, name) {
		if (!object || typeof object !== 'object') { return undefined; }
		if (object[name] !== undefined) { return object[name]; }
		var camel = name.replace(/_([a-z])/g, function (m, c) { return c.toUpperCase(); });
		return object[camel];
	}

	function number(value, digits) {
		if (typeof value !== 'number' || !isFinite(value)) { return '–'; }
		return value.toLocaleString('en-US', { maximumFractionDigits: digits === undefined ? 0 : digits });
	}

	function words(key) {
		return String(key).replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
	}

	// Any value as readable text: never JSON, whatever shape the endpoint answers with.
	function describe(value) {
		if (value === null || value === undefined) { return '–'; }
		if (typeof value === 'number') { return number(value, 2); }
		if (typeof value === 'boolean') { return value ? 'yes' : 'no'; }
		if (Array.isArray(value)) { return value.length ? value.map(describe).join('; ') : 'none'; }
		if (typeof value === 'object') {
			var keys = Object.keys(value);
			return keys.length ? keys.map(function (k) { return words(k) + ' ' + describe(value[k]); }).join(', ') : 'none';
		}
		return String(value);
	}

	function log(text) {
		var item = document.createElement('li');
		item.textContent = new Date().toLocaleTimeString() + '  ' + text;
		var list = $('log');
		list.insertBefore(item, list.firstChild);
		while (list.children.length > 50) { list.removeChild(list.lastChild); }
	}

	function changed(key, value, message) {
		if (previous[key] !== undefined && previous[key] !== value) { log(message); }
		previous[key] = value;
	}

	function tile(id, level) {
		var element = $(id);
		element.classList.remove('ok', 'bad', 'warn');
		if (level) { element.classList.add(level); }
	}

	function getJson(url) {
		return fetch(url, { cache: 'no-store' }).then(function (response) {
			return response.text().then(function (text) {
				var body = null;
				try { body = JSON.parse(text); } catch (e) { body = null; }
				return { status: response.status, body: body };
			});
		});
	}

	function banner(status) {
		var element = $('banner');
		var redisUp = status.redis.up;
		var breaker = status.circuitBreaker;
		var text;
		var level;
		if (!redisUp) {
			level = 'outage';
			text = 'Redis is DOWN. The application keeps serving: reads come from the local fallback and the database, '
				+ 'the rate limiter ' + (status.rateLimit.failOpen ? 'lets requests through (fail-open)' : 'refuses requests (fail-closed)')
				+ ', the circuit breaker is ' + breaker + '.';
		}
		else if (breaker !== 'CLOSED') {
			level = 'recovering';
			text = 'Redis is back; the circuit breaker is ' + breaker + ' and probes Redis before traffic returns to it.';
		}
		else if (status.journalSize > 0) {
			level = 'recovering';
			text = 'Redis is back; ' + status.journalSize + ' cache invalidations made during the outage are being replayed.';
		}
		else {
			level = 'ok';
			text = 'All good: Redis is up and the circuit breaker is closed.';
		}
		element.className = 'banner ' + level;
		element.textContent = text;
		element.dataset.level = level;
	}

	function showStatus(status) {
		banner(status);
		var redisUp = status.redis.up;
		$('redis-state').textContent = redisUp ? 'UP' : 'DOWN';
		$('redis-detail').textContent = redisUp ? 'PING ' + number(status.redis.pingMillis, 1) + ' ms'
			: 'PING failed: ' + status.redis.error;
		tile('tile-redis', redisUp ? 'ok' : 'bad');
		changed('redis', redisUp, redisUp ? 'Redis answers PING again' : 'Redis stopped answering PING');

		var breaker = status.circuitBreaker;
		$('breaker-state').textContent = breaker;
		$('breaker-detail').textContent = status.servingFromFallback
			? 'serving from the local fallback; journal: ' + status.journalSize
			: 'traffic goes to Redis';
		tile('tile-breaker', breaker === 'CLOSED' ? 'ok' : (breaker === 'HALF_OPEN' ? 'warn' : 'bad'));
		changed('breaker', breaker, 'Circuit breaker is now ' + breaker);

		var counts = status.caches.products;
		if (counts) {
			var last = history.length ? history[history.length - 1] : null;
			var hitRate = last ? field(last, 'hit_rate') : null;
			$('hit-rate').textContent = typeof hitRate === 'number' ? number(hitRate) + '% hits' : 'no reads';
			$('cache-detail').textContent = 'Redis ' + counts.redisHits + ' hits / ' + counts.redisMisses
				+ ' misses; fallback ' + counts.fallbackHits + ' / ' + counts.fallbackMisses
				+ '; errors ' + counts.errors;
			tile('tile-cache', counts.fallbackHits > 0 && !redisUp ? 'warn' : 'ok');
		}
		else {
			$('hit-rate').textContent = 'no reads yet';
		}

		var rate = status.rateLimit;
		$('rate-state').textContent = rate.allowed + ' allowed / ' + rate.refused + ' refused';
		$('rate-detail').textContent = (rate.failOpen ? 'fail-open' : 'fail-closed') + '; decided without Redis: '
			+ rate.decidedWithoutRedis;

		var live = status.live;
		$('live-detail').textContent = live.clients + ' browser(s) connected; ' + live.received
			+ ' messages from Redis; ' + live.dropped + ' not published while Redis was down';

		var hot = status.hotKey;
		var lastStampede = hot.last;
		$('hot-key-state').textContent = lastStampede
			? lastStampede.databaseCalls + ' database call(s) for one expiry'
			: 'not expired yet';
		$('hot-key-detail').textContent = hot.instances + ' instances × ' + hot.callersPerInstance
			+ ' callers; single flight ' + (hot.singleFlight ? 'on' : 'off') + '; database '
			+ hot.databaseLatencyMs + ' ms, ' + hot.databaseCalls + ' calls in all'
			+ (lastStampede ? '; last expiry: per instance ' + lastStampede.databaseCallsPerInstance.join(' / ')
				+ ', slowest caller ' + lastStampede.slowestMs + ' ms' : '');
		tile('tile-hot-key', lastStampede ? (lastStampede.databaseCalls <= 1 ? 'ok' : 'warn') : null);

		var now = Date.now();
		var recent = latencies.filter(function (l) { return l.t > now - 2000; });
		var latency = recent.length ? recent.reduce(function (a, l) { return a + l.ms; }, 0) / recent.length : null;
		$('latency').textContent = latency === null ? 'no requests' : latency.toFixed(0) + ' ms';
	}

	function pollStatus() {
		getJson('api/status').then(function (response) {
			if (response.body) { showStatus(response.body); }
		}).catch(function () {
			var element = $('banner');
			element.className = 'banner unknown';
			element.dataset.level = 'unknown';
			element.textContent = 'The application does not answer.';
		});
	}

	function pollHistory() {
		var after = history.length ? history[history.length - 1].t : 0;
		return getJson('api/status/history?after=' + after).then(function (response) {
			var body = response.body;
			if (!body || !Array.isArray(body.samples)) { return; }
			clockOffset = body.now - Date.now();
			span = field(body, 'span_ms') || span;
			body.samples.forEach(function (sample) {
				if (!history.length || sample.t > history[history.length - 1].t) { history.push(sample); }
			});
			var oldest = body.now - span;
			while (history.length && history[0].t < oldest) { history.shift(); }
			draw();
		}).catch(function () { /* shown by the banner */ });
	}

	function pollHealth() {
		getJson('actuator/health').then(function (response) {
			var status = response.body ? response.body.status : '?';
			$('health-state').textContent = status + ' (HTTP ' + response.status + ')';
			var redis = response.body && response.body.components ? response.body.components.redis : null;
			$('health-detail').textContent = redis ? 'redis component: ' + redis.status : '';
			tile('tile-health', response.status === 200 ? (status === 'UP' ? 'ok' : 'warn') : 'bad');
			changed('health', status, '/actuator/health is now ' + status + ' (HTTP ' + response.status + ')');
		}).catch(function () { $('health-state').textContent = 'no answer'; });
	}

	// One line of the stats section: a label and readable text.
	function addField(rows, label, value) {
		if (value === undefined) { return; }
		rows.push([label, typeof value === 'string' ? value : describe(value)]);
	}

	function serverFields(rows, server) {
		if (typeof server !== 'object' || server === null || field(server, 'redis_version') === undefined) {
			addField(rows, 'Server', server);
			return;
		}
		var maxmemory = field(server, 'maxmemory');
		addField(rows, 'Redis', describe(field(server, 'redis_version')) + ', ' + describe(field(server, 'role'))
			+ ', up ' + number(field(server, 'uptime_in_seconds')) + ' s');
		addField(rows, 'Clients', number(field(server, 'connected_clients')) + ' connected, '
			+ number(field(server, 'blocked_clients')) + ' blocked, '
			+ number(field(server, 'rejected_connections')) + ' connections rejected');
		addField(rows, 'Memory', describe(field(server, 'used_memory_human')) + ' used, '
			+ (maxmemory ? 'limit ' + describe(field(server, 'maxmemory_human')) : 'no limit')
			+ ', policy ' + describe(field(server, 'maxmemory_policy')));
		addField(rows, 'Commands', number(field(server, 'total_commands_processed')) + ' processed, '
			+ number(field(server, 'instantaneous_ops_per_sec')) + ' per second');
		addField(rows, 'Keyspace', number(field(server, 'keyspace_hits')) + ' hits, '
			+ number(field(server, 'keyspace_misses')) + ' misses (' + number(field(server, 'hit_rate'), 1) + '% hits), '
			+ number(field(server, 'evicted_keys')) + ' evicted, ' + number(field(server, 'expired_keys')) + ' expired');
	}

	function clientFields(rows, client) {
		if (typeof client !== 'object' || client === null || field(client, 'circuit_breaker') === undefined) {
			addField(rows, 'Client', client);
			return;
		}
		var breaker = field(client, 'circuit_breaker');
		if (breaker && typeof breaker === 'object') {
			addField(rows, 'Circuit breaker', describe(field(breaker, 'state')) + ', failure rate '
				+ number(field(breaker, 'failure_rate'), 1) + '%, ' + number(field(breaker, 'not_permitted_calls'))
				+ ' calls not permitted');
		}
		else { addField(rows, 'Circuit breaker', breaker); }
		var retries = field(client, 'retries');
		if (retries && typeof retries === 'object') {
			addField(rows, 'Retries', number(field(retries, 'successful_without_retry')) + ' succeeded at once, '
				+ number(field(retries, 'successful_with_retry')) + ' after a retry, '
				+ number((field(retries, 'failed_with_retry') || 0) + (field(retries, 'failed_without_retry') || 0))
				+ ' failed');
		}
		var connections = field(client, 'connections');
		if (connections && typeof connections === 'object') {
			addField(rows, 'Connections', number(field(connections, 'active')) + ' active, '
				+ number(field(connections, 'connects')) + ' connects, ' + number(field(connections, 'disconnects'))
				+ ' disconnects, ' + number(field(connections, 'reconnect_attempts')) + ' reconnect attempts');
			addField(rows, 'Heartbeats', number(field(connections, 'heartbeats_sent')) + ' sent, '
				+ number(field(connections, 'heartbeat_failures')) + ' failed');
		}
		addField(rows, 'Errors by type', field(client, 'errors'));
		var latency = field(client, 'command_latency');
		if (latency && typeof latency === 'object') {
			var slowest = Object.keys(latency).map(function (command) {
				return { command: command, p99: field(field(latency[command], 'percentiles_ms'), 'p99'), count: field(latency[command], 'count') };
			}).sort(function (a, b) { return (b.p99 || 0) - (a.p99 || 0); }).slice(0, 3);
			addField(rows, 'Slowest commands (p99)', slowest.length ? slowest.map(function (c) {
				return c.command + ' ' + number(c.p99, 1) + ' ms (' + number(c.count) + ' calls)';
			}).join(', ') : 'none yet');
		}
		else { addField(rows, 'Command latency', latency); }
		var caches = field(client, 'caches');
		if (caches && typeof caches === 'object') {
			addField(rows, 'Cache fallback', (field(caches, 'serving_from_fallback') ? 'serving' : 'not serving')
				+ ', journal ' + number(field(caches, 'journal_size')) + ' keys, '
				+ number(field(caches, 'journal_replays')) + ' replays');
			var byName = field(caches, 'by_name') || {};
			Object.keys(byName).forEach(function (name) {
				var cache = byName[name];
				addField(rows, 'Cache ' + name, number(field(cache, 'redis_hits')) + ' Redis hits, '
					+ number(field(cache, 'redis_misses')) + ' misses, ' + number(field(cache, 'fallback_hits'))
					+ ' fallback hits, ' + number(field(cache, 'errors')) + ' errors');
			});
		}
	}

	function nodeFields(rows, nodes) {
		if (!Array.isArray(nodes)) { return; }
		addField(rows, 'Nodes', nodes.map(function (node) {
			return describe(field(node, 'address')) + ' ' + describe(field(node, 'role')) + ' '
				+ (field(node, 'reachable') ? number(field(node, 'latency_ms'), 1) + ' ms' : 'unreachable');
		}).join('; '));
	}

	function showStats(stats) {
		var rows = [];
		addField(rows, 'Mode', field(stats, 'mode'));
		serverFields(rows, field(stats, 'server') || field(field(stats, 'unavailable'), 'server'));
		nodeFields(rows, field(stats, 'nodes'));
		clientFields(rows, field(stats, 'client'));
		addField(rows, 'Unavailable', field(field(stats, 'client'), 'unavailable'));
		var list = $('stats-fields');
		list.textContent = '';
		rows.forEach(function (row) {
			var item = document.createElement('div');
			var term = document.createElement('dt');
			var value = document.createElement('dd');
			term.textContent = row[0];
			value.textContent = row[1];
			item.appendChild(term);
			item.appendChild(value);
			list.appendChild(item);
		});
		var advisories = field(stats, 'advisories') || [];
		var advice = $('stats-advisories');
		advice.textContent = '';
		advisories.forEach(function (text) {
			var item = document.createElement('li');
			item.textContent = describe(text);
			advice.appendChild(item);
		});
		var server = field(stats, 'server');
		$('stats-state').textContent = server && typeof server === 'object'
			? 'Redis ' + describe(field(server, 'redis_version')) : 'INFO unavailable';
		$('stats-detail').textContent = advisories.length + ' advisor' + (advisories.length === 1 ? 'y' : 'ies')
			+ '; details below';
		tile('tile-stats', advisories.length ? 'warn' : 'ok');
	}

	function pollStats() {
		getJson('actuator/redis/stats').then(function (response) {
			if (response.status !== 200 || !response.body) {
				$('stats-state').textContent = 'unavailable';
				$('stats-detail').textContent = 'HTTP ' + response.status + ': the redis endpoint is not exposed';
				return;
			}
			showStats(response.body);
		}).catch(function () { $('stats-state').textContent = 'unavailable'; });
	}

	function sendTraffic() {
		if (!$('traffic').checked) { return; }
		var id = 1 + Math.floor(Math.random() * 5);
		var start = performance.now();
		fetch('api/products/' + id, { cache: 'no-store' }).then(function (response) {
			latencies.push({ t: Date.now(), ms: performance.now() - start });
			while (latencies.length > 200) { latencies.shift(); }
			if (response.status !== 200) { log('GET /api/products/' + id + ' answered HTTP ' + response.status); }
		});
	}

	function subscribe() {
		var source = new EventSource('api/events');
		source.addEventListener('heartbeat', function () { lastEventAt = Date.now(); });
		source.addEventListener('product-updated', function (event) {
			lastEventAt = Date.now();
			var product = JSON.parse(event.data).product;
			log('Live update: product ' + product.id + ' is now ' + product.price + ' (version ' + product.version + ')');
		});
		source.onerror = function () { /* EventSource reconnects by itself */ };
	}

	function showLive() {
		var age = lastEventAt ? (Date.now() - lastEventAt) / 1000 : null;
		var flowing = age !== null && age < 5;
		$('live-state').textContent = flowing ? 'receiving' : (age === null ? 'waiting' : 'stalled ' + age.toFixed(0) + ' s');
		tile('tile-live', flowing ? 'ok' : 'bad');
		changed('live', flowing, flowing ? 'Live updates flow again' : 'Live updates stopped');
	}

	function draw() {
		var canvas = $('chart');
		var ratio = window.devicePixelRatio || 1;
		var w = canvas.clientWidth;
		var h = canvas.clientHeight;
		if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
			canvas.width = Math.round(w * ratio);
			canvas.height = Math.round(h * ratio);
		}
		var ctx = canvas.getContext('2d');
		ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
		var pad = { left: 44, right: 40, top: 10, bottom: 22 };
		var now = Date.now() + clockOffset;
		// The whole span once the server has that much history; until then, what it has (at least a minute).
		var shown = Math.min(span, Math.max(60000, history.length ? now - history[0].t : 0));
		var x = function (t) { return pad.left + (w - pad.left - pad.right) * (1 - (now - t) / shown); };
		var maxLatency = Math.max(50, Math.max.apply(null, history.map(function (p) { return field(p, 'latency_ms') || 0; })));
		var yLatency = function (v) { return h - pad.bottom - (h - pad.top - pad.bottom) * v / maxLatency; };
		var yPercent = function (v) { return h - pad.bottom - (h - pad.top - pad.bottom) * v / 100; };
		ctx.clearRect(0, 0, w, h);
		// Bands where Redis was down or the breaker not closed.
		for (var i = 0; i < history.length; i++) {
			var p = history[i];
			var next = history[i + 1] ? history[i + 1].t : now;
			if (!field(p, 'redis_up') || p.breaker !== 'CLOSED') {
				ctx.fillStyle = !field(p, 'redis_up') ? 'rgba(207,34,46,.18)' : 'rgba(191,135,0,.18)';
				ctx.fillRect(x(p.t), pad.top, Math.max(1, x(next) - x(p.t)), h - pad.top - pad.bottom);
			}
		}
		ctx.strokeStyle = '#d0d7de';
		ctx.fillStyle = '#57606a';
		ctx.font = '11px system-ui, sans-serif';
		ctx.beginPath();
		ctx.moveTo(pad.left, pad.top);
		ctx.lineTo(pad.left, h - pad.bottom);
		ctx.lineTo(w - pad.right, h - pad.bottom);
		ctx.lineTo(w - pad.right, pad.top);
		ctx.stroke();
		ctx.fillText(maxLatency.toFixed(0) + ' ms', 2, pad.top + 10);
		ctx.fillText('0', pad.left - 12, h - pad.bottom);
		ctx.fillText('100%', w - pad.right + 4, pad.top + 10);
		ctx.fillText(shown >= 120000 ? '-' + Math.round(shown / 60000) + ' min' : '-' + Math.round(shown / 1000) + ' s',
			pad.left, h - 6);
		ctx.fillText('now', w - pad.right - 20, h - 6);
		var points = line(ctx, 'latency_ms', '#0969da', x, yLatency) + line(ctx, 'hit_rate', '#1a7f37', x, yPercent);
		canvas.dataset.points = String(points);
		canvas.dataset.samples = String(history.length);
	}

	// Draws one series as a line with a dot on each sample; returns how many samples had a value.
	function line(ctx, key, color, x, y) {
		var count = 0;
		ctx.strokeStyle = color;
		ctx.fillStyle = color;
		ctx.lineWidth = 2;
		ctx.beginPath();
		var drawing = false;
		history.forEach(function (p) {
			var value = field(p, key);
			if (typeof value !== 'number') { drawing = false; return; }
			count++;
			if (drawing) { ctx.lineTo(x(p.t), y(value)); } else { ctx.moveTo(x(p.t), y(value)); drawing = true; }
		});
		ctx.stroke();
		history.forEach(function (p) {
			var value = field(p, key);
			if (typeof value === 'number') { ctx.fillRect(x(p.t) - 1.5, y(value) - 1.5, 3, 3); }
		});
		ctx.lineWidth = 1;
		return count;
	}

	$('update-product').addEventListener('click', function () {
		var id = 1 + Math.floor(Math.random() * 5);
		var price = (5 + Math.random() * 300).toFixed(2);
		fetch('api/products/' + id).then(function (r) { return r.json(); }).then(function (product) {
			return fetch('api/products/' + id, {
				method: 'PUT', headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ name: product.name, price: price })
			});
		}).then(function (response) {
			$('action-result').textContent = 'PUT /api/products/' + id + ': HTTP ' + response.status;
		});
	});

	$('request-code').addEventListener('click', function () {
		fetch('api/v1/auth/resend-verification-code', {
			method: 'POST', headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ email: 'newcomer@example.com' })
		}).then(function (response) {
			$('action-result').textContent = 'POST resend-verification-code: HTTP ' + response.status;
		});
	});

	$('expire-hot-key').addEventListener('click', function () {
		fetch('api/hot-key/stampede', { method: 'POST' }).then(function (r) { return r.json(); }).then(function (result) {
			$('action-result').textContent = 'POST /api/hot-key/stampede: ' + result.databaseCalls
				+ ' database call(s) for ' + result.callers + ' callers';
			log('Hot key expired: ' + result.databaseCalls + ' database call(s), single flight '
				+ (result.singleFlight ? 'on' : 'off'));
		});
	});

	// Only the development launcher (TestSampleApplication) offers /dev/redis.
	function devControls() {
		getJson('dev/redis').then(function (response) {
			if (response.status === 200 && response.body && response.body.controllable) {
				$('dev-controls').hidden = false;
			}
		}).catch(function () { /* not in development */ });
		['stop', 'start'].forEach(function (action) {
			$(action + '-redis').addEventListener('click', function () {
				log((action === 'stop' ? 'Stopping' : 'Starting') + ' the development Redis');
				fetch('dev/redis/' + action, { method: 'POST' }).then(function (response) {
					$('action-result').textContent = action + ' Redis: HTTP ' + response.status;
				});
			});
		});
	}

	devControls();
	subscribe();
	draw();
	pollHistory();
	pollStatus();
	pollHealth();
	pollStats();
	setInterval(function () { pollHistory(); pollStatus(); }, POLL_MS);
	setInterval(pollHealth, 2000);
	setInterval(pollStats, 5000);
	setInterval(sendTraffic, 250);
	setInterval(showLive, 1000);
	window.addEventListener('resize', draw);
}());
