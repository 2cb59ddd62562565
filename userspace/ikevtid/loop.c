// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtid event loop: one epoll set for every socket, a timerfd on
 * CLOCK_MONOTONIC armed from the engine's next deadline, and a signalfd
 * so that signals are handled in the loop like any other event (a
 * handler running inside the engine would re-enter it).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "ikevtid.h"
#include "log.h"
#include "notify.h"

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int loop_add(struct ikevtid *d, struct io_handler *h)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = h };

	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, h->fd, &ev) < 0) {
		log_err("epoll_ctl(ADD, %d): %s", h->fd, strerror(errno));
		return -errno;
	}
	return 0;
}

void loop_del(struct ikevtid *d, struct io_handler *h)
{
	if (h->fd >= 0)
		epoll_ctl(d->epfd, EPOLL_CTL_DEL, h->fd, NULL);
}

void loop_rearm(struct ikevtid *d)
{
	struct itimerspec its;
	uint64_t next;

	memset(&its, 0, sizeof(its));
	if (!d->engine || d->timer.fd < 0)
		return;
	next = ike_engine_next_timer(d->engine);
	if (next != UINT64_MAX) {
		/* 0 would disarm the timer: a past deadline fires at once. */
		if (next == 0)
			next = 1;
		its.it_value.tv_sec = (time_t)(next / 1000);
		its.it_value.tv_nsec = (long)(next % 1000) * 1000000;
	}
	if (timerfd_settime(d->timer.fd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		log_err("timerfd_settime: %s", strerror(errno));
}

static void on_timer(struct ikevtid *d, struct io_handler *h, uint32_t ev)
{
	uint64_t expirations;

	(void)ev;
	if (read(h->fd, &expirations, sizeof(expirations)) < 0 &&
	    errno != EAGAIN)
		log_warn("timerfd read: %s", strerror(errno));
	if (d->engine)
		ike_engine_run_timers(d->engine, now_ms());
}

static void on_signal(struct ikevtid *d, struct io_handler *h, uint32_t ev)
{
	struct signalfd_siginfo si;

	(void)ev;
	while (read(h->fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_notice("ikevtid: signal %u, shutting down",
				   si.ssi_signo);
			d->stop = true;
			d->exit_code = 0;
			break;
		case SIGHUP:
			log_notice("ikevtid: SIGHUP, reloading %s",
				   d->config_path);
			reload_config(d, NULL);
			break;
		}
	}
}

int loop_init(struct ikevtid *d)
{
	sigset_t mask;

	d->timer.fd = d->signals.fd = -1;
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (d->epfd < 0) {
		log_err("epoll_create1: %s", strerror(errno));
		return -1;
	}
	d->timer.fd = timerfd_create(CLOCK_MONOTONIC,
				     TFD_NONBLOCK | TFD_CLOEXEC);
	d->timer.fn = on_timer;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	/* Blocked so that they queue on the signalfd instead. */
	sigprocmask(SIG_BLOCK, &mask, NULL);
	/* A control client that hangs up must not kill the daemon. */
	signal(SIGPIPE, SIG_IGN);
	d->signals.fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	d->signals.fn = on_signal;
	if (d->timer.fd < 0 || d->signals.fd < 0) {
		log_err("timerfd/signalfd: %s", strerror(errno));
		return -1;
	}
	if (loop_add(d, &d->timer) || loop_add(d, &d->signals))
		return -1;
	return 0;
}

void loop_fini(struct ikevtid *d)
{
	if (d->timer.fd >= 0)
		close(d->timer.fd);
	if (d->signals.fd >= 0)
		close(d->signals.fd);
	if (d->epfd >= 0)
		close(d->epfd);
	d->timer.fd = d->signals.fd = d->epfd = -1;
}

void loop_status_line(const struct ikevtid *d, char *buf, size_t len)
{
	size_t n_dev = 0, n_ike = 0;

	rtnl_tunnels(d, &n_dev);
	if (d->engine)
		n_ike = ike_engine_ike_sas(d->engine, NULL, 0);
	snprintf(buf, len, "%zu tunnel%s, %zu IKE SA%s", n_dev,
		 n_dev == 1 ? "" : "s", n_ike, n_ike == 1 ? "" : "s");
}

void loop_notify_ready(const struct ikevtid *d)
{
	char status[128];

	loop_status_line(d, status, sizeof(status));
	notify_ready(status);
}

/* systemd's STATUS= follows the counts (sent only when they change). */
static void update_status(const struct ikevtid *d)
{
	char status[128];

	loop_status_line(d, status, sizeof(status));
	notify_status(status);
}

int loop_run(struct ikevtid *d)
{
	struct epoll_event evs[16];
	int n, i;

	while (!d->stop) {
		loop_rearm(d);
		n = epoll_wait(d->epfd, evs, 16, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_err("epoll_wait: %s", strerror(errno));
			return 1;
		}
		for (i = 0; i < n && !d->stop; i++) {
			struct io_handler *h = evs[i].data.ptr;

			h->fn(d, h, evs[i].events);
		}
		watch_update(d);
		update_status(d);
	}
	return d->exit_code;
}
