// otp_core.django's pages: "Copy" buttons (data-copy holds the text, data-copied
// the label shown once copied) and "Print" buttons. Without JavaScript the
// buttons stay hidden and the text can be selected by hand.
'use strict'
document.querySelectorAll('.otp-copy, .otp-print').forEach((button) => {
  button.hidden = false
})
document.addEventListener('click', (event) => {
  const copy = event.target.closest('.otp-copy')
  if (copy) {
    const done = () => {
      copy.textContent = copy.dataset.copied
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(copy.dataset.copy).then(done, () => {})
    } else {
      const area = document.createElement('textarea')
      area.value = copy.dataset.copy
      document.body.appendChild(area)
      area.select()
      if (document.execCommand('copy')) done()
      area.remove()
    }
  }
  if (event.target.closest('.otp-print')) window.print()
})
