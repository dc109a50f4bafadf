// Status page of the resilient-redis sample: polls the application and the actuator,
// keeps five minutes of history in memory and draws it on a canvas. No build step.
(function () {
	'use strict';

	var HISTORY_MS = 5 * 60 * 1000;
	var POLL_MS = 1000;
	var history = [];          // { t, latency, hitRate, redisUp, breaker }
	var latencies = [];        // { t, ms } of this page's catalog requests
	var previousCounts = null; // cache counters at the previous poll
	var previous = {};         // last shown states, to log changes once
	var lastEventAt = 0;

	function $(id) { return document.getElementById(id); }

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
		$('redis-detail').textContent = redisUp ? 'PING ' + status.redis.pingMillis.toFixed(1) + ' ms'
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
		var hitRate = null;
		if (counts) {
			var hits = counts.redisHits + counts.fallbackHits;
			var misses = counts.redisMisses + counts.fallbackMisses;
			if (previousCounts) {
				var deltaHits = hits - previousCounts.hits;
				var deltaMisses = misses - previousCounts.misses;
				if (deltaHits + deltaMisses > 0) { hitRate = 100 * deltaHits / (deltaHits + deltaMisses); }
			}
			previousCounts = { hits: hits, misses: misses };
			$('hit-rate').textContent = hitRate === null ? 'no reads' : hitRate.toFixed(0) + '% hits';
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

		var now = Date.now();
		var recent = latencies.filter(function (l) { return l.t > now - 2000; });
		var latency = recent.length ? recent.reduce(function (a, l) { return a + l.ms; }, 0) / recent.length : null;
		$('latency').textContent = latency === null ? 'no requests' : latency.toFixed(0) + ' ms';
		history.push({ t: now, latency: latency, hitRate: hitRate, redisUp: redisUp, breaker: breaker });
		while (history.length && history[0].t < now - HISTORY_MS) { history.shift(); }
		draw();
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

	function pollStats() {
		getJson('actuator/redis/stats').then(function (response) {
			if (response.status !== 200 || !response.body) {
				$('stats-state').textContent = 'unavailable';
				$('stats-detail').textContent = 'HTTP ' + response.status + ': this version of the starter has no stats endpoint';
				return;
			}
			$('stats-state').textContent = 'available';
			$('stats-detail').textContent = JSON.stringify(response.body).slice(0, 240);
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
		var ctx = canvas.getContext('2d');
		var w = canvas.width;
		var h = canvas.height;
		var pad = { left: 44, right: 44, top: 10, bottom: 22 };
		var now = Date.now();
		var x = function (t) { return pad.left + (w - pad.left - pad.right) * (1 - (now - t) / HISTORY_MS); };
		var maxLatency = Math.max(50, Math.max.apply(null, history.map(function (p) { return p.latency || 0; })));
		var yLatency = function (v) { return h - pad.bottom - (h - pad.top - pad.bottom) * v / maxLatency; };
		var yPercent = function (v) { return h - pad.bottom - (h - pad.top - pad.bottom) * v / 100; };
		ctx.clearRect(0, 0, w, h);
		// Bands where Redis was down or the breaker not closed.
		for (var i = 0; i < history.length; i++) {
			var p = history[i];
			var next = history[i + 1] ? history[i + 1].t : now;
			if (!p.redisUp || p.breaker !== 'CLOSED') {
				ctx.fillStyle = !p.redisUp ? 'rgba(207,34,46,.18)' : 'rgba(191,135,0,.18)';
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
		ctx.fillText('-5 min', pad.left, h - 6);
		ctx.fillText('now', w - pad.right - 20, h - 6);
		line(ctx, 'latency', '#0969da', x, yLatency);
		line(ctx, 'hitRate', '#1a7f37', x, yPercent);
	}

	function line(ctx, key, color, x, y) {
		ctx.strokeStyle = color;
		ctx.lineWidth = 2;
		ctx.beginPath();
		var drawing = false;
		history.forEach(function (p) {
			if (p[key] === null || p[key] === undefined) { drawing = false; return; }
			if (drawing) { ctx.lineTo(x(p.t), y(p[key])); } else { ctx.moveTo(x(p.t), y(p[key])); drawing = true; }
		});
		ctx.stroke();
		ctx.lineWidth = 1;
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
	pollStatus();
	pollHealth();
	pollStats();
	setInterval(pollStatus, POLL_MS);
	setInterval(pollHealth, 2000);
	setInterval(pollStats, 5000);
	setInterval(sendTraffic, 250);
	setInterval(showLive, 1000);
}());
