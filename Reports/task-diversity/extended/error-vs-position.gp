# Drawn by the replicate harness; run `gnuplot error-vs-position.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Error on new tasks by position in the context"
set xlabel "number of in-context examples seen + 1 (position k)"
set ylabel "MSE / D"
set grid
set key outside right top
set logscale y
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'error-vs-position.png'
plot 'error-vs-position.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "PT, M = 2", \
     'error-vs-position.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "dMMSE, M = 2", \
     'error-vs-position.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "PT, M = 32", \
     'error-vs-position.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "dMMSE, M = 32", \
     'error-vs-position.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "PT, M = ∞", \
     'error-vs-position.dat' index 5 using 1:2:3 with yerrorlines lc 6 pt 6 title "Ridge"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'error-vs-position.svg'
plot 'error-vs-position.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "PT, M = 2", \
     'error-vs-position.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "dMMSE, M = 2", \
     'error-vs-position.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "PT, M = 32", \
     'error-vs-position.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "dMMSE, M = 32", \
     'error-vs-position.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "PT, M = ∞", \
     'error-vs-position.dat' index 5 using 1:2:3 with yerrorlines lc 6 pt 6 title "Ridge"
unset output
