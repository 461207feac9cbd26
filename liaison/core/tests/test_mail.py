from liaison.core.mail import send_email


def test_send_email_reaches_smtp_server(smtp_inbox):
    send_email(to=["someone@test.example"], subject="Hello 你好", text="Body", html="<p>Body</p>")
    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["Subject"] == "Hello 你好"
    assert message["X-Envelope-To"] == "someone@test.example"
