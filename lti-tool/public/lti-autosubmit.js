/* Submits forms marked data-autosubmit (Deep Linking 2.0 §4.5: the response goes back by form POST). */
(function () {
  'use strict';
  var forms = document.querySelectorAll('form[data-autosubmit]');
  for (var i = 0; i < forms.length; i += 1) forms[i].submit();
})();
