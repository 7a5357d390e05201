"""Email: addresses, messages, rendering and the SMTP or file transport. The queue that makes
mail durable is node/services/mail_queue.py; the worker that sends it node/workers/mail.py."""
