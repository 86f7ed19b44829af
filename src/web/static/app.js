/* app.js - the live parts of nextcall's pages, as progressive enhancement: every page works
 * without it. The incoming-call panel and step notices from the event stream, search as you
 * type on /clients, the log form showing the fields of the chosen outcome, keyboard shortcuts.
 * Data from the server only ever reaches the page as textContent or as nodes the server
 * escaped itself (imported from a fetched page): never through innerHTML. */
"use strict";

(function () {
	const body = document.body;
	if (!body) {
		return;
	}
	const csrf = body.getAttribute("data-csrf") || "";

	/* el makes an element with attributes and an optional text child. */
	function el(tag, attrs, text) {
		const e = document.createElement(tag);
		Object.keys(attrs || {}).forEach(function (k) {
			e.setAttribute(k, attrs[k]);
		});
		if (text !== undefined && text !== null) {
			e.textContent = String(text);
		}
		return e;
	}

	/* api fetches a same-origin URL; writes carry the session's CSRF token. */
	function api(url, options) {
		const o = Object.assign({ credentials: "same-origin" }, options || {});
		const method = (o.method || "GET").toUpperCase();
		o.headers = Object.assign({ Accept: "application/json" }, o.headers || {});
		if (method !== "GET" && method !== "HEAD") {
			o.headers["X-CSRF-Token"] = csrf;
			if (o.body !== undefined && typeof o.body !== "string") {
				o.body = JSON.stringify(o.body);
				o.headers["Content-Type"] = "application/json";
			}
		}
		return fetch(url, o);
	}
	window.nextcall = Object.freeze({ api: api });

	/* when shows an RFC 3339 time as "YYYY-MM-DD HH:MM": as it is when the server wrote it in the
	 * user's zone, else (UTC, "Z") in the zone of <body data-tz>, or of the browser. */
	function when(s) {
		if (typeof s !== "string" || s.length < 16) {
			return "";
		}
		const t = new Date(s);
		if (!/Z$/.test(s) || isNaN(t)) {
			return s.slice(0, 10) + " " + s.slice(11, 16);
		}
		const o = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
		const tz = body.getAttribute("data-tz");
		let f;
		try {
			f = new Intl.DateTimeFormat("en-CA", Object.assign(tz ? { timeZone: tz } : {}, o));
		} catch (e) {
			f = new Intl.DateTimeFormat("en-CA", o);
		}
		const p = {};
		f.formatToParts(t).forEach(function (x) {
			p[x.type] = x.value;
		});
		return p.year + "-" + p.month + "-" + p.day + " " + p.hour + ":" + p.minute;
	}

	function editable(t) {
		return t instanceof Element && (t.isContentEditable || t.closest("input, textarea, select") !== null);
	}

	/* ---- the incoming-call panel ---- */

	const panel = document.getElementById("call-panel");
	let panelReturn = null; /* the element focused before the panel took the focus */
	let panelCall = ""; /* the call_id shown, to drop a late summary of an earlier call */

	function label(name, fallback) {
		return (panel && panel.getAttribute("data-" + name)) || fallback;
	}

	function dismiss() {
		if (!panel || panel.hidden) {
			return;
		}
		panel.hidden = true;
		panel.replaceChildren();
		panelCall = "";
		if (panelReturn && document.contains(panelReturn)) {
			panelReturn.focus();
		}
		panelReturn = null;
	}

	/* summary lists the card's facts under the client's name once /api/v1/clients/{id} answers. */
	function summary(list, c) {
		const next = c.next_step;
		const rows = [
			["company", c.company, ""],
			["category", c.category && label("category-" + c.category, c.category), "badge-" + c.category],
			["owner", c.owner, ""],
			["next-step", next && label("kind-" + next.kind, next.kind) + " " + when(next.due_at), ""],
		];
		rows.forEach(function (r) {
			if (!r[1]) {
				return;
			}
			const li = el("li");
			const name = label(r[0], "");
			if (name) {
				li.append(el("span", { class: "muted" }, name + ": "));
			}
			li.append(r[2] ? el("span", { class: r[2] }, r[1]) : document.createTextNode(r[1]));
			list.append(li);
		});
	}

	function fillKnown(d) {
		const href = "/clients/" + encodeURIComponent(d.client_id) + "#log";
		panel.append(el("p", { class: "call-client" }, d.client_name || ""));
		const list = el("ul", { class: "call-summary" });
		panel.append(list);
		const call = d.call_id;
		api("/api/v1/clients/" + encodeURIComponent(d.client_id))
			.then(function (r) {
				return r.ok ? r.json() : null;
			})
			.then(function (c) {
				if (c && panelCall === call && !panel.hidden) {
					summary(list, c);
				}
			})
			.catch(function () {
				/* the summary is a convenience: the name and the link are there already */
			});
		return el("a", { class: "button primary", href: href }, label("open", "Open the card"));
	}

	function incoming(d) {
		if (!panel || !d) {
			return;
		}
		const phone = d.phone || d.raw || "";
		panel.replaceChildren();
		panelCall = String(d.call_id || "");
		panel.append(el("h2", {}, label("incoming", "Incoming call")));
		if (phone) {
			const p = el("p", { class: "call-phone" });
			p.append(el("a", { href: "tel:" + phone }, phone));
			panel.append(p);
		}
		let main;
		if (d.client_id) {
			main = fillKnown(d);
		} else {
			panel.append(el("p", { class: "call-client" }, label("new-client", "New client")));
			main = el("a", { class: "button primary", href: "/clients/new?phone=" + encodeURIComponent(phone) },
				label("new-client", "New client"));
		}
		const actions = el("p", { class: "call-actions" });
		const close = el("button", { type: "button", class: "link" }, label("dismiss", "Dismiss"));
		close.addEventListener("click", dismiss);
		actions.append(main, " ", close);
		panel.append(actions);
		const active = document.activeElement;
		if (panel.hidden) {
			panelReturn = active;
		}
		panel.hidden = false;
		/* the card link takes the focus (Enter opens it), unless the rep is typing in a form:
		 * a keystroke meant for a field must not leave the page with what was typed */
		if (!editable(active)) {
			main.focus();
		}
	}

	/* ---- step.due notices ---- */

	function notice(s) {
		if (!s || !s.client_id) {
			return;
		}
		let box = document.getElementById("notices");
		if (!box) {
			box = el("div", { id: "notices", class: "notices", role: "status" });
			body.append(box);
		}
		const n = el("p", { class: "notice" });
		n.append(el("strong", {}, label("step-due", "Next step due") + " " + when(s.due_at)));
		n.append(" ");
		n.append(el("a", { href: "/clients/" + encodeURIComponent(s.client_id) + "#log" },
			s.client_name || "#" + s.client_id));
		const x = el("button", { type: "button", class: "link", "aria-label": label("dismiss", "Dismiss") }, "×");
		x.addEventListener("click", function () {
			n.remove();
		});
		n.append(" ", x);
		box.append(n);
		while (box.children.length > 3) {
			box.firstElementChild.remove();
		}
	}

	/* ---- click-to-call: what the exchange said (event call.originate) ---- */

	function originated(d) {
		if (!d) {
			return;
		}
		const ok = d.result === "ringing_client";
		let box = document.getElementById("notices");
		if (!box) {
			box = el("div", { id: "notices", class: "notices", role: "status" });
			body.append(box);
		}
		const n = el("p", { class: ok ? "notice" : "notice warning", "data-originate": d.result });
		n.append(ok ? label("originate-ok", "Your phone answered: the client is being dialled")
			: label("originate-failed", "The call could not be placed"));
		if (!ok && d.reason) {
			n.append(" (" + d.reason + ")");
		}
		const x = el("button", { type: "button", class: "link", "aria-label": label("dismiss", "Dismiss") }, "×");
		x.addEventListener("click", function () {
			n.remove();
		});
		n.append(" ", x);
		box.append(n);
		while (box.children.length > 3) {
			box.firstElementChild.remove();
		}
	}

	/* ---- the live event stream (EventSource reconnects by itself) ---- */

	function live() {
		if (!body.getAttribute("data-user") || !window.EventSource) {
			return;
		}
		const es = new EventSource("/api/v1/events");
		function on(name, fn) {
			es.addEventListener(name, function (e) {
				let d;
				try {
					d = JSON.parse(e.data);
				} catch (err) {
					return;
				}
				fn(d);
			});
		}
		on("call.incoming", incoming);
		on("step.due", notice);
		on("call.originate", originated);
		es.addEventListener("open", function () {
			body.setAttribute("data-live", "open");
		});
		es.addEventListener("error", function () {
			body.setAttribute("data-live", "retrying");
		});
		/* close before leaving, so the browser does not report the aborted stream */
		window.addEventListener("pagehide", function () {
			es.close();
		});
	}

	/* ---- search as you type on /clients ---- */

	function searchAsYouType() {
		const input = document.getElementById("client-search");
		const results = document.getElementById("client-results");
		const form = input && input.form;
		if (!results || !form) {
			return;
		}
		let timer = 0;
		let seq = 0; /* only the answer to the latest query is shown */
		function run() {
			const q = new URLSearchParams();
			new FormData(form).forEach(function (v, k) {
				if (typeof v === "string" && v !== "" && k !== "_csrf") {
					q.append(k, v);
				}
			});
			const path = new URL(form.getAttribute("action") || location.pathname, location.href).pathname;
			const url = path + (q.toString() ? "?" + q.toString() : "");
			const mine = ++seq;
			results.setAttribute("aria-busy", "true");
			fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
				.then(function (r) {
					return r.text();
				})
				.then(function (html) {
					if (mine !== seq) {
						return;
					}
					const doc = new DOMParser().parseFromString(html, "text/html");
					const fresh = doc.getElementById("client-results");
					if (fresh) {
						results.replaceChildren.apply(results, Array.from(fresh.childNodes, function (n) {
							return document.importNode(n, true);
						}));
						history.replaceState(history.state, "", url);
					}
				})
				.catch(function () {
					/* the form still submits the normal way */
				})
				.finally(function () {
					if (mine === seq) {
						results.removeAttribute("aria-busy");
					}
				});
		}
		input.addEventListener("input", function () {
			clearTimeout(timer);
			timer = setTimeout(run, 200);
		});
		form.addEventListener("change", function (e) {
			if (e.target !== input) {
				clearTimeout(timer);
				run();
			}
		});
	}

	/* ---- the log form: only the fields of the chosen kind and outcome ---- */

	/* Which outcome each field belongs to when the page does not say it with data-outcomes. */
	const outcomeFields = {
		next_kind: "next refused sale",
		next_due: "next refused sale",
		offer: "next",
		won: "sale",
		refused: "refused",
		never_reason: "never",
		never_note: "never",
	};

	/* groups gives the parts of form shown for some values of a radio group: the elements
	 * marked data-ATTR="v1 v2" (data-outcomes/data-outcome, data-kinds), else fallback's fields. */
	function groups(form, attrs, fallback) {
		const out = [];
		form.querySelectorAll(attrs.map(function (a) {
			return "[data-" + a + "]";
		}).join(",")).forEach(function (g) {
			const a = attrs.find(function (x) {
				return g.hasAttribute("data-" + x);
			});
			out.push({ node: g, values: g.getAttribute("data-" + a).split(/\s+/) });
		});
		if (out.length || !fallback) {
			return out;
		}
		Object.keys(fallback).forEach(function (name) {
			const f = form.elements.namedItem(name);
			if (f && f.nodeType === 1) {
				out.push({ node: f.closest(".field, label") || f, values: fallback[name].split(" ") });
			}
		});
		return out;
	}

	/* switchParts shows each group only while the radio group `name` has one of its values; a
	 * part holding a refusal stays visible. Hidden fields keep (and send) what was typed. */
	function switchParts(form, name, parts) {
		const radios = Array.from(form.querySelectorAll('input[type="radio"][name="' + name + '"]'));
		if (!radios.length || !parts.length) {
			return;
		}
		function show() {
			const chosen = radios.find(function (r) {
				return r.checked;
			});
			parts.forEach(function (g) {
				const err = g.node.querySelector('.field-error, [aria-invalid="true"]');
				/* nothing chosen yet: all shown, as without JavaScript */
				g.node.hidden = !(!chosen || err || g.values.indexOf(chosen.value) >= 0);
			});
		}
		radios.forEach(function (r) {
			r.addEventListener("change", show);
		});
		show();
	}

	function logForm() {
		const root = document.getElementById("log");
		const form = root && (root instanceof HTMLFormElement ? root : root.querySelector("form"));
		if (!form) {
			return;
		}
		switchParts(form, "outcome", groups(form, ["outcomes", "outcome"], outcomeFields));
		switchParts(form, "kind", groups(form, ["kinds"], null));
	}

	/* #log puts the cursor in the purpose (after the browser's own move to the fragment, which
	 * would otherwise take the focus back to the page) */
	function focusLog(always) {
		const active = document.activeElement;
		const idle = !active || active === body || active === document.documentElement;
		if (location.hash === "#log" && (always === true || idle)) {
			const purpose = document.getElementById("purpose");
			if (purpose) {
				purpose.focus();
			}
		}
	}

	/* a form sent once is not sent twice by a double click (a call would be logged twice) */
	function guardForms() {
		document.addEventListener("submit", function (e) {
			const f = e.target;
			if (!(f instanceof HTMLFormElement) || (f.method || "").toLowerCase() !== "post") {
				return;
			}
			if (f.getAttribute("data-sent")) {
				e.preventDefault();
				return;
			}
			f.setAttribute("data-sent", "1");
			/* the answer may never come (network down): allow sending again after a while */
			setTimeout(function () {
				f.removeAttribute("data-sent");
			}, 5000);
		});
		window.addEventListener("pageshow", function () {
			document.querySelectorAll("form[data-sent]").forEach(function (f) {
				f.removeAttribute("data-sent");
			});
		});
	}

	/* ---- keyboard ---- */

	function searchBox() {
		return document.querySelector("header.top input[type=search]") || document.getElementById("client-search");
	}

	function shortcuts() {
		let prefix = 0; /* time of a "g" waiting for its second key */
		document.addEventListener("keydown", function (e) {
			if (e.key === "Escape" && panel && !panel.hidden) {
				e.preventDefault();
				dismiss();
				return;
			}
			if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
				const t = e.target;
				const f = t instanceof Element ? t.form || t.closest("form") : null;
				if (f) {
					e.preventDefault();
					if (f.requestSubmit) {
						f.requestSubmit();
					} else {
						f.submit();
					}
				}
				return;
			}
			if (e.ctrlKey || e.metaKey || e.altKey || editable(e.target)) {
				return;
			}
			if (prefix && Date.now() - prefix < 1500) {
				prefix = 0;
				const go = { d: "/day", c: "/clients" }[e.key];
				if (go) {
					e.preventDefault();
					location.assign(go);
				}
				return;
			}
			prefix = 0;
			if (e.key === "/") {
				const s = searchBox();
				if (s) {
					e.preventDefault();
					s.focus();
					s.select();
				}
			} else if (e.key === "g" && body.getAttribute("data-user")) {
				prefix = Date.now();
			}
		});
	}

	/* ---- call scripts: the editor and the live panel ---- */

	/* lineOffset gives the offset in text of line:col (1-based). */
	function lineOffset(text, line, col) {
		const lines = text.split("\n");
		let at = 0;
		for (let i = 0; i < line - 1 && i < lines.length; i++) {
			at += lines[i].length + 1;
		}
		return at + Math.min(Math.max(col - 1, 0), (lines[line - 1] || "").length);
	}

	/* the editor: a finding's place puts the cursor on its line; a chosen file is read into the
	 * text area (it is then checked and saved as text, like anything typed) */
	function scriptEditor() {
		const text = document.getElementById("script-source");
		if (!text) {
			return;
		}
		document.querySelectorAll("#findings a.at[data-line]").forEach(function (a) {
			a.addEventListener("click", function (e) {
				const line = Number(a.getAttribute("data-line")) || 0;
				if (line < 1) {
					return;
				}
				e.preventDefault();
				const at = lineOffset(text.value, line, Number(a.getAttribute("data-col")) || 1);
				text.focus();
				text.setSelectionRange(at, at);
				const lh = parseFloat(getComputedStyle(text).lineHeight) || 20;
				text.scrollTop = Math.max(0, (line - 4) * lh);
			});
		});
		const box = document.getElementById("script-upload");
		const file = document.getElementById("script-file");
		if (!box || !file || !window.Blob || !Blob.prototype.text) {
			return;
		}
		box.hidden = false;
		file.addEventListener("change", function () {
			const f = file.files && file.files[0];
			if (!f) {
				return;
			}
			f.text().then(function (t) {
				text.value = t;
				text.focus();
				text.setSelectionRange(0, 0);
			});
		});
	}

	function clockText(s) {
		s = Math.max(0, Math.floor(s));
		const h = Math.floor(s / 3600);
		const m = Math.floor(s / 60) % 60;
		const sec = String(s % 60).padStart(2, "0");
		return (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + sec;
	}

	/* the live panel: the call's time and the hold timer count up (the hold turns red past its
	 * limit), and keys press the panel's buttons: 1-9 options, the letters shown on objections,
	 * P price, B back, H hold, Esc back to the script; never while typing in a field */
	function scriptPanel() {
		const sp = document.querySelector("section.script-panel");
		if (!sp) {
			return;
		}
		const t0 = Date.now();
		const elapsed = sp.querySelector("[data-elapsed-s]");
		const hold = sp.querySelector("[data-hold-s]");
		function tick() {
			const d = (Date.now() - t0) / 1000;
			if (elapsed) {
				elapsed.textContent = clockText(Number(elapsed.getAttribute("data-elapsed-s")) + d);
			}
			if (hold) {
				const s = Number(hold.getAttribute("data-hold-s")) + d;
				hold.textContent = clockText(s);
				const line = hold.closest(".run-hold");
				if (line) {
					line.classList.toggle("over", s >= Number(hold.getAttribute("data-hold-limit") || 30));
				}
			}
		}
		tick();
		setInterval(tick, 1000);
		const bad = sp.querySelector('#run-answer[aria-invalid="true"]');
		if (bad) {
			bad.focus();
		}
		let lastG = 0; /* "g" then a letter is the go-to shortcut, not an objection */
		document.addEventListener("keydown", function (e) {
			if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || editable(e.target)) {
				return;
			}
			if (e.key === "g") {
				lastG = Date.now();
				return;
			}
			if (Date.now() - lastG < 1500 || (e.key === "Escape" && panel && !panel.hidden)) {
				return;
			}
			let key = null;
			if (e.key === "Escape") {
				key = "Escape";
			} else if (/^[1-9]$/.test(e.key)) {
				key = e.key;
			} else if (/^Key[A-Z]$/.test(e.code || "")) {
				key = e.code.slice(3); /* the key's place: the same in any keyboard layout */
			}
			let b = key && sp.querySelector('button[data-key="' + key + '"]');
			if (!b && key === "Escape") {
				b = sp.querySelector('button[value="resume"]');
			}
			if (!b) {
				return;
			}
			e.preventDefault();
			e.stopImmediatePropagation();
			b.click();
		});
	}

	live();
	searchAsYouType();
	logForm();
	focusLog();
	window.addEventListener("load", function () {
		setTimeout(focusLog, 0);
	});
	window.addEventListener("hashchange", function () {
		focusLog(true);
	});
	guardForms();
	scriptEditor();
	scriptPanel();
	shortcuts();
})();
