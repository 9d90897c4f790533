// The language menu changes the language as soon as a language is picked;
// without JavaScript its button does.
'use strict'
const menu = document.getElementById('language')
if (menu) {
  document.getElementById('language-go').hidden = true
  menu.addEventListener('change', () => menu.form.submit())
}
